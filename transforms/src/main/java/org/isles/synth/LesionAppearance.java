package org.isles.synth;

import java.util.SplittableRandom;

/**
 * How a lesion changes the tissue it replaces, relative to that tissue, and whether the ground
 * truth labels it. Besides acute infarcts the generator places unlabelled mimics, as real scans
 * hold them, so that a model has to read DWI and ADC together.
 *
 * @param adcFactor ADC relative to the tissue's
 * @param t2Factor T2-weighted (b=0) signal relative to the tissue's
 * @param flairFactor FLAIR signal relative to the tissue's
 * @param labelled whether the lesion is part of the ground-truth mask
 */
record LesionAppearance(double adcFactor, double t2Factor, double flairFactor, boolean labelled) {
  /** Acute ischaemia: restricted diffusion (ADC down by 20-55%, 10-38% when hard), so bright on DWI; FLAIR from normal to bright. */
  static LesionAppearance acuteInfarct(SplittableRandom random, SynthProfile profile) {
    return new LesionAppearance(
        profile.infarctAdc(random.nextDouble()), profile.infarctT2(random.nextDouble()), 1.0 + 0.4 * random.nextDouble(), true);
  }

  /** Not acute, not labelled: T2 shine-through (bright on DWI, ADC normal or raised) or an old infarct (ADC and FLAIR raised). */
  static LesionAppearance mimic(SplittableRandom random, SynthProfile profile) {
    if (profile.subtleMimics() && random.nextInt(3) == 0) {
      // a subtle DWI-bright spot: mild T2 gain, ADC normal, FLAIR barely raised
      return new LesionAppearance(
          0.95 + 0.15 * random.nextDouble(), 1.15 + 0.25 * random.nextDouble(), 1.0 + 0.15 * random.nextDouble(), false);
    }
    if (random.nextBoolean()) {
      return new LesionAppearance(
          1.0 + 0.2 * random.nextDouble(), 1.4 + 0.3 * random.nextDouble(), 1.2 + 0.3 * random.nextDouble(), false);
    }
    return new LesionAppearance(
        1.6 + 0.8 * random.nextDouble(), 1.5 + 0.5 * random.nextDouble(), 1.2 + 0.4 * random.nextDouble(), false);
  }
}

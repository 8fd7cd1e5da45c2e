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
  /** Acute ischaemia: restricted diffusion (ADC down by 20-55%), so bright on DWI; FLAIR from normal to bright. */
  static LesionAppearance acuteInfarct(SplittableRandom random) {
    return new LesionAppearance(
        0.45 + 0.35 * random.nextDouble(), 1.05 + 0.2 * random.nextDouble(), 1.0 + 0.4 * random.nextDouble(), true);
  }

  /** Not acute, not labelled: T2 shine-through (bright on DWI, ADC normal or raised) or an old infarct (ADC and FLAIR raised). */
  static LesionAppearance mimic(SplittableRandom random) {
    if (random.nextBoolean()) {
      return new LesionAppearance(
          1.0 + 0.2 * random.nextDouble(), 1.4 + 0.3 * random.nextDouble(), 1.2 + 0.3 * random.nextDouble(), false);
    }
    return new LesionAppearance(
        1.6 + 0.8 * random.nextDouble(), 1.5 + 0.5 * random.nextDouble(), 1.2 + 0.4 * random.nextDouble(), false);
  }
}

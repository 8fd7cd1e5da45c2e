package org.isles.synth;

import java.util.SplittableRandom;

/**
 * Signal equations for the three sequences. A voxel mixes CSF, grey matter, white matter and
 * lesion compartments; each contributes {@code S0 exp(-b ADC)} to DWI, so a lesion's restricted
 * diffusion makes it dark on ADC and bright on DWI at once. FLAIR suppresses CSF. The lesion
 * compartment is swollen parenchyma: it displaces CSF as cytotoxic oedema effaces sulci.
 */
final class MriContrast {
  private static final double B_VALUE_S_PER_MM2 = 1000;
  /** Relative T2-weighted (b=0) signal of CSF, grey and white matter. */
  private static final double[] T2_SIGNAL = {2.2, 1.2, 1.0};
  /** Apparent diffusion coefficients in 1e-6 mm^2/s, the unit scanners store ADC maps in. */
  private static final double[] ADC = {3000, 850, 750};
  private static final double[] FLAIR_SIGNAL = {0.25, 1.25, 1.0};
  /** DWI signal of each healthy tissue, S0 exp(-b ADC). */
  private static final double[] DIFFUSION_SIGNAL = {
    diffusionSignal(T2_SIGNAL[0], ADC[0]), diffusionSignal(T2_SIGNAL[1], ADC[1]), diffusionSignal(T2_SIGNAL[2], ADC[2])
  };
  private static final double TEXTURE_AMPLITUDE = 0.05;

  private final double dwiGain;
  private final double flairGain;
  private final double biasAmplitude;
  private final double noise;

  /**
   * Per-case scanner gains: the same tissue gives different raw numbers on different scanners.
   *
   * @param sliceThicknessMm the DWI grid's coarsest voxel size, for the profile's noise
   */
  MriContrast(SplittableRandom random, SynthProfile profile, double sliceThicknessMm) {
    this.dwiGain = profile.dwiGain(random.nextDouble());
    this.flairGain = 300 + 600 * random.nextDouble();
    this.biasAmplitude = profile.biasAmplitude();
    this.noise = profile.noise(sliceThicknessMm);
  }

  /** ADC in 1e-6 mm^2/s; quantitative, so free of coil shading. */
  double adc(TissueSample s) {
    double tissue = mix(ADC, s);
    if (s.lesionWeight > 0) {
      double lesion = parenchyma(ADC, s) * s.lesion.appearance().adcFactor();
      tissue = (1 - s.lesionWeight) * tissue + s.lesionWeight * lesion;
    }
    return tissue * (1 + 0.5 * TEXTURE_AMPLITUDE * s.texture);
  }

  double dwi(TissueSample s) {
    double signal = mix(DIFFUSION_SIGNAL, s);
    if (s.lesionWeight > 0) {
      double lesion = diffusionSignal(
          parenchyma(T2_SIGNAL, s) * s.lesion.appearance().t2Factor(), parenchyma(ADC, s) * s.lesion.appearance().adcFactor());
      signal = (1 - s.lesionWeight) * signal + s.lesionWeight * lesion;
    }
    return dwiGain * signal * shading(s);
  }

  double flair(TissueSample s) {
    double signal = mix(FLAIR_SIGNAL, s);
    if (s.lesionWeight > 0) {
      double lesion = parenchyma(FLAIR_SIGNAL, s) * s.lesion.appearance().flairFactor();
      signal = (1 - s.lesionWeight) * signal + s.lesionWeight * lesion;
    }
    return flairGain * signal * shading(s);
  }

  /** Thermal noise, a few percent of white matter's signal. */
  double dwiNoise() {
    return noise * 0.04 * dwiGain * DIFFUSION_SIGNAL[2];
  }

  double adcNoise() {
    return noise * 0.05 * ADC[2];
  }

  double flairNoise() {
    return noise * 0.03 * flairGain * FLAIR_SIGNAL[2];
  }

  private static double diffusionSignal(double t2Signal, double adc) {
    return t2Signal * Math.exp(-B_VALUE_S_PER_MM2 * adc * 1e-6);
  }

  /** The grey/white mix at the point, without its CSF; pure white matter where there is none. */
  private static double parenchyma(double[] perTissue, TissueSample s) {
    double tissue = s.grey + s.white;
    return tissue < 1e-6 ? perTissue[2] : (perTissue[1] * s.grey + perTissue[2] * s.white) / tissue;
  }

  private double shading(TissueSample s) {
    return (1 + biasAmplitude * s.bias) * (1 + TEXTURE_AMPLITUDE * s.texture);
  }

  private static double mix(double[] perTissue, TissueSample s) {
    return perTissue[0] * s.csf + perTissue[1] * s.grey + perTissue[2] * s.white;
  }
}

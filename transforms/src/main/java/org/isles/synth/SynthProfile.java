package org.isles.synth;

import java.util.Arrays;
import java.util.Locale;

/**
 * How hard a synthetic dataset is. {@link #DEFAULT} is the generator as it always was; {@link
 * #HARD} varies what real scans vary in and the default does not: wider partial-volume lesion
 * edges, lower lesion contrast, per-site intensity scaling and stronger bias fields, more and
 * subtler DWI-bright mimics, and noisier images, thick slices most. A model trained on one
 * profile can be measured on the other, which it never saw.
 *
 * @param edgeMm width of a lesion's partial-volume rim
 * @param infarctAdc ADC of an acute lesion relative to its tissue: lowest and highest
 * @param infarctT2 T2 (b=0) signal of an acute lesion relative to its tissue: lowest and highest
 * @param maxMimics unlabelled look-alikes per case, at most
 * @param subtleMimics whether mimics include DWI-bright spots with normal ADC and mild T2 gain
 * @param dwiGain per-site DWI scaling: lowest and highest
 * @param biasAmplitude coil shading, relative
 * @param noise thermal noise relative to the default's, on thin and on thick (>= 3 mm) slices
 */
public enum SynthProfile {
  DEFAULT(1.0, new double[] {0.45, 0.80}, new double[] {1.05, 1.25}, 2, false, new double[] {600, 1400}, 0.12,
      new double[] {1, 1}),
  HARD(2.5, new double[] {0.62, 0.90}, new double[] {1.0, 1.15}, 6, true, new double[] {250, 2750}, 0.35,
      new double[] {1.6, 2.4});

  /** Slices at least this thick get the thick-slice noise. */
  static final double THICK_SLICE_MM = 3.0;

  private final double edgeMm;
  private final double[] infarctAdc;
  private final double[] infarctT2;
  private final int maxMimics;
  private final boolean subtleMimics;
  private final double[] dwiGain;
  private final double biasAmplitude;
  private final double[] noise;

  SynthProfile(double edgeMm, double[] infarctAdc, double[] infarctT2, int maxMimics, boolean subtleMimics, double[] dwiGain,
      double biasAmplitude, double[] noise) {
    this.edgeMm = edgeMm;
    this.infarctAdc = infarctAdc;
    this.infarctT2 = infarctT2;
    this.maxMimics = maxMimics;
    this.subtleMimics = subtleMimics;
    this.dwiGain = dwiGain;
    this.biasAmplitude = biasAmplitude;
    this.noise = noise;
  }

  /** The {@code --profile} name. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static SynthProfile parse(String label) {
    return Arrays.stream(values()).filter(p -> p.label().equals(label)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("--profile must be default or hard, got '" + label + "'"));
  }

  double edgeMm() {
    return edgeMm;
  }

  int maxMimics() {
    return maxMimics;
  }

  boolean subtleMimics() {
    return subtleMimics;
  }

  double biasAmplitude() {
    return biasAmplitude;
  }

  /** A value between {@code range[0]} and {@code range[1]} at {@code u} in [0, 1). */
  static double between(double[] range, double u) {
    return range[0] + (range[1] - range[0]) * u;
  }

  double infarctAdc(double u) {
    return between(infarctAdc, u);
  }

  double infarctT2(double u) {
    return between(infarctT2, u);
  }

  double dwiGain(double u) {
    return between(dwiGain, u);
  }

  double noise(double sliceThicknessMm) {
    return sliceThicknessMm >= THICK_SLICE_MM ? noise[1] : noise[0];
  }
}

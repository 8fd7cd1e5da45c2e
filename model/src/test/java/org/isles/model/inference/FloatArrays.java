package org.isles.model.inference;

/** Comparisons of probability or logit arrays shared by the inference tests and benchmarks. */
public final class FloatArrays {
  private FloatArrays() {}

  /** The largest absolute element-wise difference of two arrays, over the first one's length. */
  public static double maxDifference(float[] a, float[] b) {
    double max = 0;
    for (int n = 0; n < a.length; n++) {
      max = Math.max(max, Math.abs(a[n] - b[n]));
    }
    return max;
  }
}

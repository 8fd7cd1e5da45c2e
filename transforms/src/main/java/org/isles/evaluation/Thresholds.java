package org.isles.evaluation;

import java.util.Arrays;
import java.util.List;

/**
 * Threshold sweeps for turning probabilities into masks. Every value is rounded to 1e-9 so that a
 * sweep written as 0.02 steps reads 0.06, not 0.06000000000000001, in every summary.
 */
public final class Thresholds {
  private static final double ROUNDING = 1e9;

  private Thresholds() {}

  /** 0.02, 0.04, ..., 0.50: the 25 thresholds of the reference evaluation. */
  public static double[] defaults() {
    return sweep(0.02, 0.5, 0.02);
  }

  /** {@code first, first + step, ...} up to and including {@code last}. */
  public static double[] sweep(double first, double last, double step) {
    if (!(step > 0) || last < first) {
      throw new IllegalArgumentException("threshold sweep needs first <= last and step > 0, got " + first + ".." + last + " step " + step);
    }
    int count = (int) Math.floor((last - first) / step + 1e-6) + 1;
    double[] thresholds = new double[count];
    for (int n = 0; n < count; n++) {
      thresholds[n] = round(first + n * step);
    }
    return validated(thresholds);
  }

  /**
   * Parses "0.1,0.3,0.5", or "0.02,0.04,...,0.5" for an arithmetic sweep given by its first two
   * values and its last.
   */
  public static double[] parse(String text) {
    List<String> parts = Arrays.stream(text.split(",")).map(String::trim).toList();
    int ellipsis = parts.indexOf("...");
    if (ellipsis >= 0) {
      if (ellipsis != 2 || parts.size() != 4) {
        throw new IllegalArgumentException("a threshold sweep is written first,second,...,last; got '" + text + "'");
      }
      double first = number(parts.get(0), text);
      return sweep(first, number(parts.get(3), text), round(number(parts.get(1), text) - first));
    }
    double[] thresholds = parts.stream().mapToDouble(part -> round(number(part, text))).toArray();
    return validated(thresholds);
  }

  static double round(double value) {
    return Math.round(value * ROUNDING) / ROUNDING;
  }

  private static double number(String part, String text) {
    try {
      return Double.parseDouble(part);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + part + "' in thresholds '" + text + "' is not a number");
    }
  }

  /** Thresholds must be increasing and in (0, 1]: at 0 every voxel, even of a missing prediction, would be lesion. */
  static double[] validated(double[] thresholds) {
    if (thresholds.length == 0) {
      throw new IllegalArgumentException("at least one threshold is needed");
    }
    for (int n = 0; n < thresholds.length; n++) {
      if (!(thresholds[n] > 0 && thresholds[n] <= 1)) {
        throw new IllegalArgumentException("threshold " + thresholds[n] + " is outside (0, 1]");
      }
      if (n > 0 && thresholds[n] <= thresholds[n - 1]) {
        throw new IllegalArgumentException("thresholds must increase: " + thresholds[n - 1] + " then " + thresholds[n]);
      }
    }
    return thresholds;
  }
}

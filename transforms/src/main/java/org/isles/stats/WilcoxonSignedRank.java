package org.isles.stats;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.ranking.NaNStrategy;
import org.apache.commons.math3.stat.ranking.NaturalRanking;
import org.apache.commons.math3.stat.ranking.TiesStrategy;

/**
 * The two-sided paired Wilcoxon signed-rank test exactly as {@code scipy.stats.wilcoxon(x, y)}
 * computes it with its defaults (scipy 1.17: zero_method "wilcox", no continuity correction,
 * method "auto"): zero differences are dropped, ties get average ranks, the statistic is the
 * smaller rank sum, and the p-value is
 * <ul>
 *   <li>exact (the null distribution of the rank sum) when no difference is zero or tied and n <= 50,
 *   <li>a complete sign-flip permutation test when there are ties or zeros and n <= 13,
 *   <li>otherwise the normal approximation with the tie correction of the variance (zeros left
 *       out of n and of the ties).
 * </ul>
 * n counts every pair, zeros included, as scipy does when it picks the method.
 *
 * <p>Commons Math's {@code WilcoxonSignedRankTest} ranks zero differences instead of dropping
 * them, has no tie correction, applies a continuity correction and is exact only up to n = 30,
 * so it does not give scipy's numbers; its ranking and normal distribution are used here.
 */
public final class WilcoxonSignedRank {
  /** scipy's limit of the exact distribution. */
  static final int EXACT_MAX_N = 50;
  /** scipy's limit of the exhaustive permutation test with ties or zeros. */
  static final int PERMUTATION_MAX_N = 13;

  private static final NaturalRanking RANKING = new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE);

  /**
   * @param statistic the smaller of the positive and negative rank sums
   * @param method exact, permutation or asymptotic
   * @param nonzero the pairs with a nonzero difference, the n of the ranks
   */
  public record Result(double statistic, double pValue, String method, int nonzero) {}

  private WilcoxonSignedRank() {}

  /**
   * The test of the differences {@code x[i] - y[i]}. When every difference is zero the p-value is 1
   * up to n = 13 (the permutation test) and NaN above, as in scipy.
   */
  public static Result test(double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException("paired samples of different lengths: " + x.length + " and " + y.length);
    }
    double[] d = new double[x.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = x[i] - y[i];
    }
    return test(d);
  }

  public static Result test(double[] differences) {
    int n = differences.length;
    if (n == 0) {
      throw new IllegalArgumentException("Wilcoxon signed-rank test of no pairs");
    }
    double[] nonzero = java.util.Arrays.stream(differences).filter(v -> v != 0).toArray();
    for (double v : nonzero) {
      if (Double.isNaN(v)) {
        throw new IllegalArgumentException("Wilcoxon signed-rank test of a NaN difference");
      }
    }
    int count = nonzero.length;
    double[] ranks = count == 0 ? new double[0] : RANKING.rank(java.util.Arrays.stream(nonzero).map(Math::abs).toArray());
    double plus = 0;
    double total = 0;
    for (int i = 0; i < count; i++) {
      total += ranks[i];
      if (nonzero[i] > 0) {
        plus += ranks[i];
      }
    }
    double statistic = Math.min(plus, total - plus);
    boolean ties = hasTies(ranks);
    boolean zeros = count < n;
    if (n <= EXACT_MAX_N && !ties && !zeros) {
      return new Result(statistic, exactPValue(plus, count), "exact", count);
    }
    if (n <= PERMUTATION_MAX_N) {
      return new Result(statistic, permutationPValue(nonzero, ranks, plus), "permutation", count);
    }
    return new Result(statistic, asymptoticPValue(ranks, plus, count), "asymptotic", count);
  }

  /** 2 min(P(W >= w), P(W <= w)) for the rank sum W of n untied nonzero ranks, at most 1. */
  private static double exactPValue(double plus, int n) {
    int max = n * (n + 1) / 2;
    // ways[s] / 2^n = P(W = s): the subsets of {1..n} whose sum is s.
    double[] ways = new double[max + 1];
    ways[0] = 1;
    for (int rank = 1; rank <= n; rank++) {
      for (int s = max; s >= rank; s--) {
        ways[s] += ways[s - rank];
      }
    }
    double all = Math.pow(2, n);
    int w = (int) Math.round(plus);
    double atMost = 0;
    double atLeast = 0;
    for (int s = 0; s <= max; s++) {
      if (s <= w) {
        atMost += ways[s];
      }
      if (s >= w) {
        atLeast += ways[s];
      }
    }
    return Math.min(1.0, 2 * Math.min(atMost, atLeast) / all);
  }

  /**
   * scipy's permutation test: every one of the 2^n sign patterns (zeros flip to themselves, so
   * they count twice as often), the positive rank sum compared with a relative tolerance of 100
   * ulp as {@code scipy.stats.permutation_test} does.
   */
  private static double permutationPValue(double[] nonzero, double[] ranks, double plus) {
    int n = nonzero.length;
    double tolerance = Math.abs(plus) * 100 * Math.ulp(1.0);
    long atMost = 0;
    long atLeast = 0;
    for (long signs = 0; signs < 1L << n; signs++) {
      double sum = 0;
      for (int i = 0; i < n; i++) {
        if ((signs >> i & 1) == 1) {
          sum += ranks[i];
        }
      }
      if (sum <= plus + tolerance) {
        atMost++;
      }
      if (sum >= plus - tolerance) {
        atLeast++;
      }
    }
    double all = Math.pow(2, n);
    return Math.min(1.0, 2 * Math.min(atMost, atLeast) / all);
  }

  private static double asymptoticPValue(double[] ranks, double plus, int count) {
    if (count == 0) {
      return Double.NaN;
    }
    double mean = count * (count + 1.0) / 4;
    double variance = count * (count + 1.0) * (2.0 * count + 1.0) - tieCorrection(ranks) / 2;
    double z = (plus - mean) / Math.sqrt(variance / 24);
    return 2 * new NormalDistribution(null, 0, 1).cumulativeProbability(-Math.abs(z));
  }

  /** sum over groups of tied ranks of t^3 - t. */
  private static double tieCorrection(double[] ranks) {
    double[] sorted = ranks.clone();
    java.util.Arrays.sort(sorted);
    double correction = 0;
    for (int i = 0; i < sorted.length; ) {
      int j = i;
      while (j < sorted.length && sorted[j] == sorted[i]) {
        j++;
      }
      double t = j - i;
      correction += t * t * t - t;
      i = j;
    }
    return correction;
  }

  private static boolean hasTies(double[] ranks) {
    double[] sorted = ranks.clone();
    java.util.Arrays.sort(sorted);
    for (int i = 1; i < sorted.length; i++) {
      if (sorted[i] == sorted[i - 1]) {
        return true;
      }
    }
    return false;
  }
}

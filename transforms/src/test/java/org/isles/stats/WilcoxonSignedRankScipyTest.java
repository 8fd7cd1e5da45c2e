package org.isles.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.math3.stat.inference.WilcoxonSignedRankTest;
import org.isles.testing.PythonOracle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The signed-rank test against scipy.stats.wilcoxon on random paired samples with ties and zeros. */
class WilcoxonSignedRankScipyTest {
  /**
   * scipy >= 1.13 picks the method itself. Debian's scipy 1.10 (the CI oracle) does not have the
   * permutation branch and runs its exact distribution even with ties, so there the script picks
   * 1.13's method and runs it with 1.10's parts: wilcoxon for exact and asymptotic, and
   * permutation_test over the positive rank sum (what 1.13 calls) with ties or zeros at n <= 13.
   */
  private static final String SCIPY =
      "import sys, numpy as np, scipy\n"
          + "from scipy.stats import wilcoxon, permutation_test, rankdata\n"
          + "new = tuple(map(int, scipy.__version__.split('.')[:2])) >= (1, 13)\n"
          + "def r_plus(d):\n"
          + "    nz = d[d != 0]\n"
          + "    return np.sum(rankdata(np.abs(nz))[nz > 0])\n"
          + "def test(x, y):\n"
          + "    if new: return wilcoxon(x, y)\n"
          + "    d = x - y; n = len(d); nz = d[d != 0]\n"
          + "    odd = len(nz) < n or len(np.unique(np.abs(nz))) < len(nz)\n"
          + "    if n <= 50 and not odd: return wilcoxon(x, y, method='exact')\n"
          + "    if n > 13: return wilcoxon(x, y, method='approx')\n"
          + "    p = permutation_test((d,), r_plus, permutation_type='samples', alternative='two-sided').pvalue\n"
          + "    return wilcoxon(x, y, method='approx').statistic, p\n"
          + "x = np.fromfile(sys.argv[1], '<f8'); y = np.fromfile(sys.argv[2], '<f8')\n"
          + "off = 0\n"
          + "for n in map(int, sys.argv[3].split(',')):\n"
          + "    s, p = test(x[off:off+n], y[off:off+n]); off += n\n"
          + "    print(repr(float(s)), repr(float(p)))\n";

  @Test
  void statisticAndPValueEqualScipyOnSamplesWithTiesAndZeros(@TempDir Path dir) throws Exception {
    Random random = new Random(13);
    List<double[][]> samples = new ArrayList<>();
    // Sizes cover every method: exact (n <= 50, no ties or zeros), permutation (ties or zeros,
    // n <= 13) and the normal approximation (ties or zeros above 13, or n > 50).
    int[] sizes = {5, 8, 10, 12, 13, 14, 20, 30, 45, 50, 51, 80, 200};
    for (int n : sizes) {
      for (int variant = 0; variant < 3; variant++) {
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
          x[i] = random.nextDouble();
          y[i] = x[i] + random.nextGaussian() * 0.1 + 0.02;
          if (variant >= 1) {
            // Rounding to two decimals makes tied differences; some pairs are equal (zeros).
            x[i] = Math.round(x[i] * 100) / 100.0;
            y[i] = Math.round(y[i] * 20) / 20.0;
            if (variant == 2 && random.nextInt(4) == 0) {
              y[i] = x[i];
            }
          }
        }
        samples.add(new double[][] {x, y});
      }
    }
    double[] xs = samples.stream().flatMapToDouble(s -> java.util.Arrays.stream(s[0])).toArray();
    double[] ys = samples.stream().flatMapToDouble(s -> java.util.Arrays.stream(s[1])).toArray();
    PythonOracle.writeDoubles(dir.resolve("x"), xs);
    PythonOracle.writeDoubles(dir.resolve("y"), ys);
    String lengths = String.join(",", samples.stream().map(s -> String.valueOf(s[0].length)).toList());
    String[] lines = PythonOracle.run(SCIPY, dir.resolve("x").toString(), dir.resolve("y").toString(), lengths).strip().split("\n");
    java.util.Set<String> methods = new java.util.TreeSet<>();
    for (int s = 0; s < samples.size(); s++) {
      String[] expected = lines[s].split(" ");
      WilcoxonSignedRank.Result result = WilcoxonSignedRank.test(samples.get(s)[0], samples.get(s)[1]);
      String label = "sample " + s + " (n " + samples.get(s)[0].length + ", " + result.method() + ")";
      assertEquals(Double.parseDouble(expected[0]), result.statistic(), 1e-9, label + " statistic");
      assertEquals(Double.parseDouble(expected[1]), result.pValue(), 1e-9, label + " p-value");
      methods.add(result.method());
    }
    assertEquals(java.util.Set.of("exact", "permutation", "asymptotic"), methods);
  }

  /** Why the test is not Commons Math's: it ranks zero differences and skips the tie correction. */
  @Test
  void commonsMathDiffersFromScipyWithZeros() {
    double[] x = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2};
    double[] y = {0.1, 0.2, 0.25, 0.5, 0.4, 0.7, 0.65, 0.6, 0.95, 0.8, 1.0, 1.0};
    double commons = new WilcoxonSignedRankTest().wilcoxonSignedRankTest(x, y, true);
    assertNotEquals(commons, WilcoxonSignedRank.test(x, y).pValue(), 1e-3);
  }
}

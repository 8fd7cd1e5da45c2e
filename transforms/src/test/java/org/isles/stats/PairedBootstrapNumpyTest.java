package org.isles.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Random;
import org.isles.testing.PythonOracle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bootstrap interval against numpy's percentile bootstrap with the same resample count. */
class PairedBootstrapNumpyTest {
  private static final String NUMPY =
      "import sys, numpy as np\n"
          + "d = np.fromfile(sys.argv[1], '<f8'); b = int(sys.argv[2])\n"
          + "rng = np.random.default_rng(0)\n"
          + "means = d[rng.integers(0, len(d), size=(b, len(d)))].mean(axis=1)\n"
          + "lo, hi = np.percentile(means, [2.5, 97.5])\n"
          + "print(repr(float(lo)), repr(float(hi)))\n";

  @Test
  void intervalIsWithinHalfAPercentOfNumpys(@TempDir Path dir) throws Exception {
    Random random = new Random(5);
    for (int n : new int[] {12, 40}) {
      double[] d = new double[n];
      for (int i = 0; i < n; i++) {
        d[i] = 0.02 + random.nextGaussian() * 0.05;
      }
      PythonOracle.writeDoubles(dir.resolve("d"), d);
      String[] numpy = PythonOracle.run(NUMPY, dir.resolve("d").toString(), "10000").strip().split(" ");
      PairedBootstrap.Interval interval = PairedBootstrap.meanInterval(d, 10000, 42);
      assertEquals(Double.parseDouble(numpy[0]), interval.low(), 0.005, "n " + n + " low");
      assertEquals(Double.parseDouble(numpy[1]), interval.high(), 0.005, "n " + n + " high");
    }
  }

  @Test
  void sameSeedSameInterval() {
    double[] d = {0.1, -0.05, 0.2, 0.0, 0.03, 0.07};
    assertEquals(PairedBootstrap.meanInterval(d, 2000, 7), PairedBootstrap.meanInterval(d, 2000, 7));
  }
}

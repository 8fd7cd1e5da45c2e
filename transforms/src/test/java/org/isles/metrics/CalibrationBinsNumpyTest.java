package org.isles.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Random;
import org.isles.testing.PythonOracle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ECE and reliability bins against a numpy implementation, per case and pooled over cases. */
class CalibrationBinsNumpyTest {
  private static final String NUMPY =
      "import sys, numpy as np\n"
          + "p = np.fromfile(sys.argv[1], '<f4').astype(np.float64)\n"
          + "y = np.fromfile(sys.argv[2], '<f4') > 0.5; m = np.fromfile(sys.argv[3], '<f4') > 0.5\n"
          + "def ece(p, y):\n"
          + "    b = np.minimum((p * 15).astype(int), 14)\n"
          + "    n = np.bincount(b, minlength=15); s = np.bincount(b, p, 15); l = np.bincount(b, y.astype(float), 15)\n"
          + "    k = n > 0\n"
          + "    return np.sum(n[k] / n.sum() * np.abs(l[k] / n[k] - s[k] / n[k])), n\n"
          + "half = len(p) // 2\n"
          + "a, na = ece(p[:half][m[:half]], y[:half][m[:half]]); b, nb = ece(p[half:][m[half:]], y[half:][m[half:]])\n"
          + "pooled, n = ece(p[m], y[m])\n"
          + "print(repr(a), repr(b), repr(pooled), ' '.join(map(str, n)))\n";

  @Test
  void eceEqualsNumpyPerCaseAndPooled(@TempDir Path dir) throws Exception {
    Random random = new Random(3);
    int size = 20000;
    float[] p = new float[2 * size];
    float[] labels = new float[2 * size];
    float[] brain = new float[2 * size];
    boolean[] truth = new boolean[2 * size];
    boolean[] region = new boolean[2 * size];
    for (int n = 0; n < p.length; n++) {
      // Skewed towards 0 like a segmentation map, with exact bin edges and 1.0 among the values.
      p[n] = n % 997 == 0 ? (n % 15) / 15f : n % 1009 == 0 ? 1f : (float) Math.pow(random.nextDouble(), 3);
      truth[n] = random.nextDouble() < p[n] * 0.8 + 0.05;
      region[n] = random.nextDouble() < 0.7;
      labels[n] = truth[n] ? 1 : 0;
      brain[n] = region[n] ? 1 : 0;
    }
    PythonOracle.writeFloats(dir.resolve("p"), p);
    PythonOracle.writeFloats(dir.resolve("y"), labels);
    PythonOracle.writeFloats(dir.resolve("m"), brain);
    String[] numpy = PythonOracle.run(NUMPY, dir.resolve("p").toString(), dir.resolve("y").toString(), dir.resolve("m").toString())
        .strip().split(" ");
    CalibrationBins first = CalibrationBins.of(java.util.Arrays.copyOfRange(p, 0, size), java.util.Arrays.copyOfRange(truth, 0, size),
        java.util.Arrays.copyOfRange(region, 0, size));
    CalibrationBins second = CalibrationBins.of(java.util.Arrays.copyOfRange(p, size, 2 * size),
        java.util.Arrays.copyOfRange(truth, size, 2 * size), java.util.Arrays.copyOfRange(region, size, 2 * size));
    assertEquals(Double.parseDouble(numpy[0]), first.ece(), 1e-12);
    assertEquals(Double.parseDouble(numpy[1]), second.ece(), 1e-12);
    CalibrationBins pooled = first.plus(second);
    assertEquals(Double.parseDouble(numpy[2]), pooled.ece(), 1e-12);
    for (int b = 0; b < CalibrationBins.BINS; b++) {
      assertEquals(Long.parseLong(numpy[3 + b]), pooled.voxels()[b], "bin " + b);
    }
  }

  @Test
  void perfectlyCalibratedBinsHaveNoError() {
    // Bin 0: p 0 and 0, no lesion; bin 7 (0.5): two voxels, one lesion.
    CalibrationBins bins = CalibrationBins.of(new float[] {0f, 0f, 0.5f, 0.5f}, new boolean[] {false, false, true, false}, null);
    assertEquals(0.0, bins.ece(), 1e-15);
    assertEquals(Double.NaN, CalibrationBins.empty().ece());
  }
}

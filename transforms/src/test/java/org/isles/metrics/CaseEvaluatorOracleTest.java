package org.isles.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.isles.postprocess.ComponentScore;
import org.isles.postprocess.PostProcessingOptions;
import org.isles.testing.PythonOracle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every per-case metric against a Python transcription of the ISLES 2022 evaluation code
 * (scipy's 26-connected label in place of cc3d) and of medpy's hd / hd95 / assd.
 */
class CaseEvaluatorOracleTest {
  private static final double[] THRESHOLDS = {0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.95};
  private static final int NX = 40, NY = 34, NZ = 14;
  private static final double SX = 0.9, SY = 1.2, SZ = 3.5;

  private static final String ISLES_AND_MEDPY = """
      import sys, numpy as np
      from scipy import ndimage
      folder, count, nx, ny, nz = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
      spacing = (float(sys.argv[8]), float(sys.argv[7]), float(sys.argv[6]))
      voxel_ml = float(sys.argv[9])
      thresholds = [float(t) for t in sys.argv[10].split(',')]
      min_size, top_k, score, score_threshold = int(sys.argv[11]), int(sys.argv[12]), sys.argv[13], float(sys.argv[14])
      full = np.ones((3, 3, 3))

      def postprocess(prob, t):
          labels, n = ndimage.label(prob >= np.float32(t), full)
          sizes = np.bincount(labels.ravel(), minlength=n + 1)
          keep = [l for l in range(1, n + 1) if sizes[l] >= min_size]
          if top_k > 0:
              keep = sorted(keep, key=lambda l: (-sizes[l], l))[:top_k]
          if score != 'NONE':
              summary = {'MAX': np.max, 'P95': lambda v: np.percentile(v, 95), 'MEAN': lambda v: np.mean(v.astype(np.float64))}[score]
              keep = [l for l in keep if summary(prob[labels == l]) >= score_threshold]
          return np.isin(labels, keep)

      def dice(g, p):
          s = g.sum() + p.sum()
          return 1.0 if s == 0 else 2.0 * np.logical_and(g, p).sum() / s

      def lesion_counts(g, p):
          tp = fp = fn = 0
          inter = np.logical_and(g, p)
          lg, n = ndimage.label(g, full)
          for l in range(1, n + 1):
              if np.logical_and(lg == l, inter).any(): tp += 1
              else: fn += 1
          lp, m = ndimage.label(p, full)
          for l in range(1, m + 1):
              if not np.logical_and(lp == l, g).any(): fp += 1
          f1 = 1.0 if tp + fp + fn == 0 else tp / (tp + (fp + fn) / 2)
          return tp, fp, fn, n, m, f1

      def surface_distances(a, b):
          face = ndimage.generate_binary_structure(3, 1)
          a_border = a ^ ndimage.binary_erosion(a, structure=face, iterations=1)
          b_border = b ^ ndimage.binary_erosion(b, structure=face, iterations=1)
          return ndimage.distance_transform_edt(~b_border, sampling=spacing)[a_border]

      for case in range(count):
          prob = np.fromfile(f'{folder}/prob{case}.f32', '<f4').reshape(nz, ny, nx)
          g = np.fromfile(f'{folder}/truth{case}.f32', '<f4').reshape(nz, ny, nx) != 0
          for t in thresholds:
              p = postprocess(prob, t)
              tp, fp, fn, n, m, f1 = lesion_counts(g, p)
              if g.any() and p.any():
                  pg, gp = surface_distances(p, g), surface_distances(g, p)
                  hd, hd95, assd = max(pg.max(), gp.max()), np.percentile(np.hstack((pg, gp)), 95), np.mean((pg.mean(), gp.mean()))
              else:
                  hd = hd95 = assd = float('nan')
              avd = np.abs(np.sum(g) * voxel_ml - np.sum(p) * voxel_ml)
              values = [dice(g, p), f1, avd, abs(n - m), tp, fp, fn, n, m,
                        np.logical_and(g, p).sum(), np.logical_and(~g, p).sum(), np.logical_and(g, ~p).sum(), hd, hd95, assd]
              print(' '.join(repr(float(v)) for v in values))
      """;

  @Test
  void metricsAtEveryThresholdMatchTheChallengeCodeAndMedpy(@TempDir Path folder) throws IOException {
    assertAgreement(folder, PostProcessingOptions.NONE);
  }

  @Test
  void postProcessedMetricsMatchThePythonPostProcessing(@TempDir Path folder) throws IOException {
    assertAgreement(folder, PostProcessingOptions.NONE.withMinComponentVoxels(4).withKeepLargest(3)
        .withComponentScore(ComponentScore.P95, 0.6));
    assertAgreement(folder, PostProcessingOptions.NONE.withComponentScore(ComponentScore.MEAN, 0.3));
  }

  private static void assertAgreement(Path folder, PostProcessingOptions options) throws IOException {
    MaskGeometry geometry = MaskGeometry.of(NX, NY, NZ, SX, SY, SZ);
    List<SyntheticCase> cases = new ArrayList<>();
    cases.add(SyntheticCase.generate(1, NX, NY, NZ, 6, 4, 0.3));
    cases.add(SyntheticCase.generate(2, NX, NY, NZ, 12, 3, 0.6));
    cases.add(SyntheticCase.generate(3, NX, NY, NZ, 2, 7, 0.1));
    SyntheticCase noLesion = SyntheticCase.generate(4, NX, NY, NZ, 3, 3, 0.2);
    cases.add(new SyntheticCase(NX, NY, NZ, noLesion.probabilities(), new boolean[geometry.size()]));
    SyntheticCase quiet = SyntheticCase.generate(5, NX, NY, NZ, 4, 3, 0.0);
    cases.add(new SyntheticCase(NX, NY, NZ, new float[geometry.size()], quiet.groundTruth()));
    for (int c = 0; c < cases.size(); c++) {
      PythonOracle.writeFloats(folder.resolve("prob" + c + ".f32"), cases.get(c).probabilities());
      PythonOracle.writeFloats(folder.resolve("truth" + c + ".f32"), asFloats(cases.get(c).groundTruth()));
    }
    StringBuilder thresholds = new StringBuilder();
    for (double threshold : THRESHOLDS) {
      thresholds.append(thresholds.length() == 0 ? "" : ",").append(threshold);
    }
    String[] lines = PythonOracle.run(ISLES_AND_MEDPY, folder.toString(), Integer.toString(cases.size()),
        Integer.toString(NX), Integer.toString(NY), Integer.toString(NZ),
        Double.toString(SX), Double.toString(SY), Double.toString(SZ), Double.toString(geometry.voxelVolumeMl()),
        thresholds.toString(), Integer.toString(options.minComponentVoxels()), Integer.toString(options.keepLargest()),
        options.componentScore().name(), Double.toString(options.componentScoreThreshold())).trim().split("\n");
    int line = 0;
    for (int c = 0; c < cases.size(); c++) {
      List<CaseMetrics> metrics = CaseEvaluator.evaluate(
          cases.get(c).probabilities(), cases.get(c).groundTruth(), geometry, THRESHOLDS, options);
      for (int t = 0; t < THRESHOLDS.length; t++) {
        String[] expected = lines[line++].split(" ");
        CaseMetrics actual = metrics.get(t);
        String where = "case " + c + " threshold " + THRESHOLDS[t] + " " + options;
        assertEquals(value(expected[0]), actual.dice(), 0.0, where + " dice");
        assertEquals(value(expected[1]), actual.lesionF1(), 0.0, where + " lesion F1");
        assertEquals(value(expected[2]), actual.absoluteVolumeDifferenceMl(), 0.0, where + " AVD");
        assertEquals(value(expected[3]), actual.absoluteLesionCountDifference(), where + " ALD");
        assertEquals(value(expected[4]), actual.lesions().truePositives(), where + " lesion TP");
        assertEquals(value(expected[5]), actual.lesions().falsePositives(), where + " lesion FP");
        assertEquals(value(expected[6]), actual.lesions().falseNegatives(), where + " lesion FN");
        assertEquals(value(expected[7]), actual.groundTruthLesions(), where + " N(G)");
        assertEquals(value(expected[8]), actual.predictedLesions(), where + " N(P)");
        assertEquals(value(expected[9]), actual.voxels().truePositives(), where + " voxel TP");
        assertEquals(value(expected[10]), actual.voxels().falsePositives(), where + " voxel FP");
        assertEquals(value(expected[11]), actual.voxels().falseNegatives(), where + " voxel FN");
        assertEquals(value(expected[12]), actual.boundary().hausdorffMm(), 1e-9, where + " HD");
        assertEquals(value(expected[13]), actual.boundary().hausdorff95Mm(), 1e-9, where + " HD95");
        assertEquals(value(expected[14]), actual.boundary().assdMm(), 1e-9, where + " ASSD");
      }
    }
  }

  /** Python's repr of a float; "nan" for undefined distances. */
  private static double value(String text) {
    return text.equals("nan") ? Double.NaN : Double.parseDouble(text);
  }

  static float[] asFloats(boolean[] mask) {
    float[] values = new float[mask.length];
    for (int n = 0; n < mask.length; n++) {
      values[n] = mask[n] ? 1f : 0f;
    }
    return values;
  }
}

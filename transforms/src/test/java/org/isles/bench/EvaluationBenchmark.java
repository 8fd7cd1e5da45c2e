package org.isles.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.isles.metrics.CaseEvaluator;
import org.isles.metrics.CaseMetrics;
import org.isles.metrics.MaskGeometry;
import org.isles.metrics.SyntheticCase;
import org.isles.postprocess.PostProcessingOptions;
import org.isles.testing.PythonOracle;

/**
 * Seconds per case for every metric at 25 thresholds on a 224 x 224 x 146 synthetic case: this
 * Java code against numpy/scipy (ndimage.label + distance_transform_edt, the ground truth's
 * labels and distance map computed once, as here) in the same run, plus the largest disagreement.
 * Both wall and CPU time are printed; on a shared machine the CPU time is the fairer figure.
 *
 * <p>Run: {@code mvn -o -q -B -pl transforms -am test-compile && java -Xmx2g -cp
 * transforms/target/classes:transforms/target/test-classes org.isles.bench.EvaluationBenchmark}
 */
public final class EvaluationBenchmark {
  private static final int NX = 224, NY = 224, NZ = 146;
  private static final double SX = 0.9, SY = 0.9, SZ = 2.0;
  private static final int REPEATS = 3;

  private static final String NUMPY_SCIPY = """
      import sys, time, numpy as np
      from scipy import ndimage
      folder, nx, ny, nz = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
      spacing = (float(sys.argv[7]), float(sys.argv[6]), float(sys.argv[5]))
      voxel_ml = float(sys.argv[8])
      thresholds = [float(t) for t in sys.argv[9].split(',')]
      prob = np.fromfile(f'{folder}/prob.f32', '<f4').reshape(nz, ny, nx)
      g = np.fromfile(f'{folder}/truth.f32', '<f4').reshape(nz, ny, nx) != 0
      start, start_cpu = time.perf_counter(), time.process_time()
      full, face = np.ones((3, 3, 3)), ndimage.generate_binary_structure(3, 1)
      lg, ng = ndimage.label(g, full)
      g_border = g ^ ndimage.binary_erosion(g, face)
      dt_g = ndimage.distance_transform_edt(~g_border, sampling=spacing) if g.any() else None
      rows = []
      for t in thresholds:
          p = prob >= np.float32(t)
          lp, np_ = ndimage.label(p, full)
          inter = g & p
          tp = len(np.unique(lg[inter]))
          fp = np_ - len(np.unique(lp[inter]))
          fn = ng - tp
          s = g.sum() + p.sum()
          dice = 1.0 if s == 0 else 2.0 * inter.sum() / s
          f1 = 1.0 if tp + fp + fn == 0 else tp / (tp + (fp + fn) / 2)
          avd = abs(g.sum() * voxel_ml - p.sum() * voxel_ml)
          if g.any() and p.any():
              p_border = p ^ ndimage.binary_erosion(p, face)
              dt_p = ndimage.distance_transform_edt(~p_border, sampling=spacing)
              pg, gp = dt_g[p_border], dt_p[g_border]
              hd, hd95, assd = max(pg.max(), gp.max()), np.percentile(np.hstack((pg, gp)), 95), np.mean((pg.mean(), gp.mean()))
          else:
              hd = hd95 = assd = float('nan')
          rows.append([dice, f1, avd, abs(ng - np_), tp, fp, fn, hd, hd95, assd])
      print(time.perf_counter() - start, time.process_time() - start_cpu)
      for row in rows:
          print(' '.join(repr(float(v)) for v in row))
      """;

  private EvaluationBenchmark() {}

  public static void main(String[] args) throws IOException {
    double[] thresholds = new double[25];
    for (int t = 0; t < thresholds.length; t++) {
      thresholds[t] = 0.04 * (t + 1) - 0.02;
    }
    run("clean", SyntheticCase.generate(2022, NX, NY, NZ, 25, 9, 0.0), thresholds);
    run("noisy", SyntheticCase.generate(2022, NX, NY, NZ, 25, 9, 0.12), thresholds);
  }

  private static void run(String name, SyntheticCase synthetic, double[] thresholds) throws IOException {
    MaskGeometry geometry = MaskGeometry.of(NX, NY, NZ, SX, SY, SZ);
    List<CaseMetrics> metrics = null;
    double[] seconds = new double[REPEATS];
    double[] cpuSeconds = new double[REPEATS];
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (int r = 0; r < REPEATS; r++) {
      long start = System.nanoTime();
      long startCpu = threads.getCurrentThreadCpuTime();
      metrics = CaseEvaluator.evaluate(synthetic.probabilities(), synthetic.groundTruth(), geometry, thresholds,
          PostProcessingOptions.NONE);
      seconds[r] = (System.nanoTime() - start) / 1e9;
      cpuSeconds[r] = (threads.getCurrentThreadCpuTime() - startCpu) / 1e9;
    }
    Path folder = Files.createTempDirectory("isles-benchmark");
    try {
      PythonOracle.writeFloats(folder.resolve("prob.f32"), synthetic.probabilities());
      float[] truth = new float[synthetic.groundTruth().length];
      for (int n = 0; n < truth.length; n++) {
        truth[n] = synthetic.groundTruth()[n] ? 1f : 0f;
      }
      PythonOracle.writeFloats(folder.resolve("truth.f32"), truth);
      StringBuilder list = new StringBuilder();
      for (double threshold : thresholds) {
        list.append(list.length() == 0 ? "" : ",").append(threshold);
      }
      String[] lines = PythonOracle.run(NUMPY_SCIPY, folder.toString(), Integer.toString(NX), Integer.toString(NY),
          Integer.toString(NZ), Double.toString(SX), Double.toString(SY), Double.toString(SZ),
          Double.toString(geometry.voxelVolumeMl()), list.toString()).trim().split("\n");
      double pythonSeconds = Double.parseDouble(lines[0].split(" ")[0]);
      double pythonCpuSeconds = Double.parseDouble(lines[0].split(" ")[1]);
      double largestDifference = 0;
      for (int t = 0; t < thresholds.length; t++) {
        CaseMetrics m = metrics.get(t);
        double[] java = {m.dice(), m.lesionF1(), m.absoluteVolumeDifferenceMl(), m.absoluteLesionCountDifference(),
          m.lesions().truePositives(), m.lesions().falsePositives(), m.lesions().falseNegatives(),
          m.boundary().hausdorffMm(), m.boundary().hausdorff95Mm(), m.boundary().assdMm()};
        String[] python = lines[t + 1].split(" ");
        for (int v = 0; v < java.length; v++) {
          double expected = python[v].equals("nan") ? Double.NaN : Double.parseDouble(python[v]);
          if (Double.isNaN(expected) != Double.isNaN(java[v])) {
            largestDifference = Double.POSITIVE_INFINITY;
          } else if (!Double.isNaN(expected)) {
            largestDifference = Math.max(largestDifference, Math.abs(expected - java[v]));
          }
        }
      }
      CaseMetrics middle = metrics.get(thresholds.length / 2);
      System.out.printf(Locale.ROOT,
          "%s case %dx%dx%d, 25 thresholds (at %.2f: %d predicted lesions, %d FP, dice %.3f, HD95 %.2f mm)%n"
              + "  java seconds per case (wall / cpu): first %.2f / %.2f, then %s / %s%n"
              + "  numpy/scipy seconds (wall / cpu): %.2f / %.2f%n"
              + "  ratio numpy/java, warm, cpu: %.1fx%n  largest metric difference: %.3g%n",
          name, NX, NY, NZ, middle.threshold(), middle.predictedLesions(), middle.lesions().falsePositives(),
          middle.dice(), middle.boundary().hausdorff95Mm(), seconds[0], cpuSeconds[0], formatted(seconds),
          formatted(cpuSeconds), pythonSeconds, pythonCpuSeconds, pythonCpuSeconds / cpuSeconds[REPEATS - 1],
          largestDifference);
    } finally {
      for (Path file : Files.list(folder).toList()) {
        Files.delete(file);
      }
      Files.delete(folder);
    }
  }

  private static String formatted(double[] seconds) {
    StringBuilder text = new StringBuilder();
    for (int r = 1; r < seconds.length; r++) {
      text.append(String.format(Locale.ROOT, "%.2f ", seconds[r]));
    }
    return text.toString().trim();
  }
}

package org.isles.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;
import org.isles.cli.IslesCli;
import org.isles.metrics.SyntheticCase;
import org.isles.nifti.Nifti;
import org.isles.nifti.NiftiDatatype;
import org.isles.volume.Grid;
import org.isles.volume.Volume;

/**
 * Seconds per case of the whole {@code isles evaluate} command (read the gzipped NIfTI pair,
 * check it, score 25 thresholds, combine, write the files) on 1 mm ISLES-sized cases of 224 x 224
 * x 146 voxels, on the Direct runner with one worker. The metrics alone, against numpy/scipy, are
 * timed by the transforms module's {@code EvaluationBenchmark}.
 *
 * <p>Run: the two commands in docs/BENCHMARKS.md, section "The whole isles evaluate command".
 */
public final class EvaluateCommandBenchmark {
  private static final int NX = 224, NY = 224, NZ = 146;
  private static final int CASES = 4;

  private EvaluateCommandBenchmark() {}

  public static void main(String[] args) throws IOException {
    Path dir = Files.createTempDirectory("isles-evaluate-benchmark");
    try {
      Path gt = Files.createDirectories(dir.resolve("gt"));
      Path probs = Files.createDirectories(dir.resolve("probs"));
      Grid grid = Grid.axisAligned(NX, NY, NZ, 1, 1, 1);
      for (int c = 0; c < CASES; c++) {
        SyntheticCase synthetic = SyntheticCase.generate(2022 + c, NX, NY, NZ, 25, 9, 0.12);
        float[] truth = new float[grid.size()];
        for (int n = 0; n < truth.length; n++) {
          truth[n] = synthetic.groundTruth()[n] ? 1 : 0;
        }
        Nifti.write(gt.resolve("case" + c + ".nii.gz"), new Volume(grid, truth), NiftiDatatype.UINT8);
        Nifti.write(probs.resolve("case" + c + ".nii.gz"), new Volume(grid, synthetic.probabilities()), NiftiDatatype.FLOAT32);
      }
      OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      for (int run = 1; run <= 2; run++) {
        long start = System.nanoTime();
        long startCpu = os.getProcessCpuTime();
        int exit = IslesCli.execute("evaluate", "--probs-dir", probs.toString(), "--gt", gt.toString(),
            "--out-dir", dir.resolve("eval" + run).toString(), "--parallelism", "1");
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (os.getProcessCpuTime() - startCpu) / 1e9;
        System.out.printf(Locale.ROOT,
            "run %d (exit %d): %d cases of %dx%dx%d at 1 mm, 25 thresholds: %.2f s wall, %.2f s cpu in all;"
                + " per case %.2f s wall, %.2f s cpu%n",
            run, exit, CASES, NX, NY, NZ, seconds, cpuSeconds, seconds / CASES, cpuSeconds / CASES);
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(file);
        }
      }
    }
  }
}

package org.isles.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.isles.preprocess.Interpolation;
import org.isles.preprocess.PercentileZScore;
import org.isles.preprocess.Resampler;
import org.isles.preprocess.TargetSpacing;
import org.isles.testing.PythonOracle;
import org.isles.volume.Grid;
import org.isles.volume.Volume;

/**
 * Times cubic B-spline resampling of ISLES-sized volumes in Java (pinned to one thread, and on the
 * common fork-join pool) against scipy.ndimage.map_coordinates(order=3, mode='mirror') on the same data in
 * the same run, and checks that the two agree. Not a test: run it by hand, e.g.
 * {@code java -cp transforms/target/classes:transforms/target/test-classes org.isles.bench.ResamplingBenchmark}.
 */
public final class ResamplingBenchmark {
  private static final int REPEATS = 3;

  /** Times only map_coordinates (prefilter included), as Java's figure includes its prefilter. */
  private static final String SCIPY = String.join("\n",
      "import sys, time, numpy as np",
      "from scipy import ndimage",
      "src_file, src_shape, src_aff, tgt_shape, tgt_aff, out_file, repeats = sys.argv[1:]",
      "ints = lambda s: [int(v) for v in s.split(',')]",
      "aff = lambda s: np.array([float(v) for v in s.split(',')]).reshape(4, 4)",
      "src = np.fromfile(src_file, dtype='<f4').reshape(ints(src_shape), order='F')",
      "m = np.linalg.inv(aff(src_aff)) @ aff(tgt_aff)",
      "idx = np.indices(ints(tgt_shape)).reshape(3, -1, order='F').astype(np.float64)",
      "coords = m[:3, :3] @ idx + m[:3, 3:]",
      "wall = cpu = float('inf')",
      "for _ in range(int(repeats)):",
      "    start, start_cpu = time.perf_counter(), time.process_time()",
      "    out = ndimage.map_coordinates(src, coords, order=3, mode='mirror', prefilter=True)",
      "    wall = min(wall, time.perf_counter() - start)",
      "    cpu = min(cpu, time.process_time() - start_cpu)",
      "out.astype('<f4').tofile(out_file)",
      "print(wall, cpu)");

  private ResamplingBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("resampling-benchmark");
    run("2x2x2 mm 112x112x73 -> 1 mm", brainLike(Grid.axisAligned(112, 112, 73, 2, 2, 2)),
        TargetSpacing.isotropic(1), dir);
    Volume thick = brainLike(Grid.axisAligned(230, 230, 30, 1, 1, 5));
    run("1x1x5 mm 230x230x30 -> 2 mm", thick, TargetSpacing.isotropic(2), dir);
    run("1x1x5 mm 230x230x30 -> 1 mm", thick, TargetSpacing.isotropic(1), dir);
    Volume twoMm = brainLike(Grid.axisAligned(112, 112, 73, 2, 2, 2));
    run("oblique: 2 mm 112x112x73 -> 1 mm grid rotated 10 deg", twoMm, obliqueOneMm(twoMm.grid()), dir);
    Volume oneMm = brainLike(Grid.axisAligned(224, 224, 146, 1, 1, 1));
    Timing normalization = Timing.best(() -> PercentileZScore.DEFAULT.apply(oneMm, oneMm));
    System.out.printf("percentile z-score over %d voxels: wall %.3f s, cpu %.3f s%n", oneMm.data().length,
        normalization.wall(), normalization.cpu());
    try (var files = Files.list(dir)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
    Files.delete(dir);
  }

  private static void run(String label, Volume source, TargetSpacing spacing, Path dir)
      throws IOException, InterruptedException, ExecutionException {
    run(label, source, spacing.gridFor(source.grid()), dir);
  }

  private static void run(String label, Volume source, Grid target, Path dir)
      throws IOException, InterruptedException, ExecutionException {
    Supplier<Volume> resample = () -> Resampler.resample(source, target, Interpolation.CUBIC_BSPLINE);
    // Parallel streams started inside a pool run in that pool, so this pins the resampler to one thread.
    ForkJoinPool oneThread = new ForkJoinPool(1);
    Timing javaOneThread = oneThread.submit(() -> Timing.best(resample)).get();
    oneThread.shutdown();
    Timing javaPool = Timing.best(resample);
    float[] java = Resampler.resample(source, target, Interpolation.CUBIC_BSPLINE).data();

    Path in = dir.resolve("source.f32");
    Path out = dir.resolve("scipy.f32");
    PythonOracle.writeFloats(in, source.data());
    String[] scipy = PythonOracle.run(SCIPY, in.toString(), join(source.grid().shape()),
        join(source.grid().affine()), join(target.shape()), join(target.affine()), out.toString(),
        Integer.toString(REPEATS)).trim().split(" ");
    double scipyWall = Double.parseDouble(scipy[0]);
    double scipyCpu = Double.parseDouble(scipy[1]);
    float[] expected = PythonOracle.readFloats(out);
    double maxDifference = 0;
    for (int n = 0; n < java.length; n++) {
      maxDifference = Math.max(maxDifference, Math.abs(java[n] - expected[n]));
    }
    System.out.printf("%s -> %s%n  java 1 thread: wall %.3f s, cpu %.3f s | java common pool (%d workers + caller):"
            + " wall %.3f s | scipy: wall %.3f s, cpu %.3f s%n  scipy/java cpu %.1fx, scipy/java wall (pool) %.1fx,"
            + " max |java - scipy| %.2e%n",
        label, Arrays.toString(target.shape()), javaOneThread.wall(), javaOneThread.cpu(),
        ForkJoinPool.getCommonPoolParallelism(), javaPool.wall(), scipyWall, scipyCpu,
        scipyCpu / javaOneThread.cpu(), scipyWall / javaPool.wall(), maxDifference);
  }

  /** A 224x224x146 1 mm grid turned 10 degrees about z around the centre of {@code source}. */
  private static Grid obliqueOneMm(Grid source) {
    double c = Math.cos(Math.toRadians(10));
    double s = Math.sin(Math.toRadians(10));
    double[] centre = source.toWorld((source.nx() - 1) / 2.0, (source.ny() - 1) / 2.0, (source.nz() - 1) / 2.0);
    double[] half = {223 / 2.0, 223 / 2.0, 145 / 2.0};
    double[] affine = {c, -s, 0, 0, s, c, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    for (int r = 0; r < 3; r++) {
      affine[4 * r + 3] = centre[r] - (affine[4 * r] * half[0] + affine[4 * r + 1] * half[1] + affine[4 * r + 2] * half[2]);
    }
    return new Grid(224, 224, 146, affine);
  }

  /**
   * Best wall time and best CPU time of the calling thread over a few runs after a warm-up; on a
   * shared machine the CPU time is the figure that does not depend on other processes.
   */
  private record Timing(double wall, double cpu) {
    static Timing best(Supplier<?> work) {
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      work.get();
      double wall = Double.POSITIVE_INFINITY;
      double cpu = Double.POSITIVE_INFINITY;
      for (int r = 0; r < REPEATS; r++) {
        long start = System.nanoTime();
        long startCpu = threads.getCurrentThreadCpuTime();
        work.get();
        cpu = Math.min(cpu, (threads.getCurrentThreadCpuTime() - startCpu) / 1e9);
        wall = Math.min(wall, (System.nanoTime() - start) / 1e9);
      }
      return new Timing(wall, cpu);
    }
  }

  /** A bright noisy ellipsoid on a zero background, like a skull-stripped DWI. */
  private static Volume brainLike(Grid grid) {
    Random random = new Random(1);
    float[] data = new float[grid.size()];
    double[] spacing = grid.spacing();
    for (int k = 0; k < grid.nz(); k++) {
      for (int j = 0; j < grid.ny(); j++) {
        for (int i = 0; i < grid.nx(); i++) {
          double x = (i - grid.nx() / 2.0) * spacing[0] / 80;
          double y = (j - grid.ny() / 2.0) * spacing[1] / 95;
          double z = (k - grid.nz() / 2.0) * spacing[2] / 70;
          if (x * x + y * y + z * z < 1) {
            data[grid.index(i, j, k)] = (float) (400 + 100 * Math.sin(i * 0.2) + 30 * random.nextGaussian());
          }
        }
      }
    }
    return new Volume(grid, data);
  }

  private static String join(int[] values) {
    return Arrays.stream(values).mapToObj(Integer::toString).collect(Collectors.joining(","));
  }

  private static String join(double[] values) {
    return Arrays.stream(values).mapToObj(Double::toString).collect(Collectors.joining(","));
  }
}

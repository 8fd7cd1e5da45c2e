package org.isles.bench;

import org.isles.augment.AugmentationConfig;
import org.isles.model.inference.Precision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.isles.io.Json;
import org.isles.model.run.ModelFolder;
import org.isles.model.training.BlobCases;
import org.isles.model.training.LossConfig;
import org.isles.model.training.SegmentationTrainer;
import org.isles.model.training.TrainingConfig;

/**
 * Runs the real trainer ({@link SegmentationTrainer}: background patch loader with augmentation,
 * forward, Dice+BCE, backward, clipping, AdamW, checkpoints) for many iterations on synthetic
 * blob cases and reports what a long run does to the process: ms per iteration, the fraction of
 * time the trainer waited for patches, and resident memory from 100 iterations to the last, with
 * the part the JVM heap accounts for (native tensors are the rest). Not a test: the figures
 * depend on the machine.
 *
 * <p>Run from the repository root:
 *
 * <pre>
 * mvn -o -q -B -pl model -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp model/target/test-classes:model/target/classes:$(cat model/target/cp.txt) \
 *     org.isles.bench.TrainingRunBenchmark [--iterations 1000] [--batch 2] [--patch 32] [--base 16] [--depth 3] [--threads 1]
 * </pre>
 */
public final class TrainingRunBenchmark {
  private static final int ITERATIONS_PER_EPOCH = 50;
  private static final Pattern EPOCH_DONE = Pattern.compile(": epoch (\\d+)/\\d+ done");

  public static void main(String[] args) throws IOException {
    Map<String, String> options = BenchmarkMachine.options(args);
    int iterations = Integer.parseInt(options.getOrDefault("--iterations", "1000"));
    int batch = Integer.parseInt(options.getOrDefault("--batch", "2"));
    int patch = Integer.parseInt(options.getOrDefault("--patch", "32"));
    int base = Integer.parseInt(options.getOrDefault("--base", "16"));
    int depth = Integer.parseInt(options.getOrDefault("--depth", "3"));
    int threads = Integer.parseInt(options.getOrDefault("--threads", "1"));
    int epochs = Math.max(2, iterations / ITERATIONS_PER_EPOCH);
    TrainingConfig config = new TrainingConfig("training-run-benchmark", new double[] {2, 2, 2},
        new int[] {patch, patch, patch}, base, depth, epochs, ITERATIONS_PER_EPOCH, batch, 1e-3, 1e-5, 0.5, AugmentationConfig.defaults(),
        LossConfig.recipe(), epochs, epochs, new int[] {patch, patch, patch}, 0.5, 0, threads, 1, Precision.AUTO, 0);

    Path run = Files.createTempDirectory("training-run-benchmark");
    List<long[]> residentByEpoch = new ArrayList<>();
    SegmentationTrainer trainer = new SegmentationTrainer(config, 0, run, "benchmark", line -> {
      System.err.println(line);
      Matcher done = EPOCH_DONE.matcher(line);
      if (done.find()) {
        Runtime jvm = Runtime.getRuntime();
        residentByEpoch.add(new long[] {Long.parseLong(done.group(1)) * ITERATIONS_PER_EPOCH, BenchmarkMachine.residentKilobytes(),
            jvm.totalMemory() / 1024});
      }
    });
    long start = System.nanoTime();
    trainer.train(BlobCases.cases(8, 48, 1), BlobCases.cases(2, 48, 2), new SegmentationTrainer.Start.Fresh());
    double seconds = (System.nanoTime() - start) / 1e9;

    List<Map<String, Object>> log = readLog(run);
    double waitSeconds = 0;
    double epochSeconds = 0;
    for (Map<String, Object> epoch : log) {
      epochSeconds += ((Number) epoch.get("seconds")).doubleValue();
      waitSeconds += ((Number) epoch.get("seconds")).doubleValue() * ((Number) epoch.get("data_wait_fraction")).doubleValue();
    }
    long iterationsDone = (long) epochs * ITERATIONS_PER_EPOCH;
    System.out.printf("%nCommand: java -cp <model test class path> %s %s  (%d iterations of batch %d, patch %d^3, base %d, "
            + "depth %d, augmentation on, 1 torch thread + 1 loader thread; load average %s at the end)%n%n", TrainingRunBenchmark.class.getName(),
        String.join(" ", args), iterationsDone, batch, patch, base, depth, BenchmarkMachine.loadAverage());
    System.out.printf("%.0f s, %.0f ms per iteration, data-wait fraction %.4f%n%n", seconds, 1000 * epochSeconds / iterationsDone,
        waitSeconds / epochSeconds);
    System.out.println("| after iterations | process RSS (MB) | JVM heap committed (MB) | RSS outside the JVM heap (MB) |");
    System.out.println("|---|---|---|---|");
    for (long[] row : residentByEpoch) {
      if (row[0] == 100 || row[0] % 250 == 0 || row[0] == iterationsDone) {
        System.out.printf("| %d | %.0f | %.0f | %.0f |%n", row[0], row[1] / 1024.0, row[2] / 1024.0, (row[1] - row[2]) / 1024.0);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> readLog(Path run) throws IOException {
    return Json.read(run.resolve(ModelFolder.TRAINING_LOG_JSON), List.class);
  }
}

package org.isles.bench;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.isles.model.OfflinePyTorch;
import org.isles.model.loss.DiceBceLoss;
import org.isles.model.unet.TorchUNetTwin;
import org.isles.model.unet.UNet3d;
import org.isles.testing.PythonOracle;

/**
 * Times the DJL U-Net against the same network in Debian's torch (run as a child python by this
 * same run): ms per training iteration (forward, Dice+BCE, backward, AdamW step) and ms per
 * inference pass (no gradients) over a batch of patches (1 by default), for each base-channel
 * count and cubic patch size.
 * Prints a markdown table. Not a test: timings depend on the machine and its load.
 *
 * <p>Run from the repository root:
 *
 * <pre>
 * mvn -o -q -B -pl model -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp model/target/test-classes:model/target/classes:$(cat model/target/cp.txt) \
 *     org.isles.bench.UNetBenchmark [--bases 8,16] [--patches 48,64] [--depth 4] [--batch 1] [--warmup 1] \
 *     [--iterations 3] [--threads (cores)]
 * </pre>
 *
 * Add 32 and/or 96 to {@code --patches} for the small and large cases (96^3 takes seconds per
 * iteration).
 */
public final class UNetBenchmark {
  private static final int INPUT_CHANNELS = 2;

  private final List<Integer> bases;
  private final List<Integer> patches;
  private final int depth;
  private final int batch;
  private final int warmup;
  private final int iterations;
  private final int threads;

  private UNetBenchmark(Map<String, String> options) {
    bases = BenchmarkMachine.integers(options.getOrDefault("--bases", "8,16"));
    patches = BenchmarkMachine.integers(options.getOrDefault("--patches", "48,64"));
    depth = Integer.parseInt(options.getOrDefault("--depth", "4"));
    batch = Integer.parseInt(options.getOrDefault("--batch", "1"));
    warmup = Integer.parseInt(options.getOrDefault("--warmup", "1"));
    iterations = Integer.parseInt(options.getOrDefault("--iterations", "3"));
    threads = Integer.parseInt(options.getOrDefault("--threads",
        String.valueOf(Runtime.getRuntime().availableProcessors())));
    // read once when the engine loads, so before the first DJL call
    System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
  }

  public static void main(String[] args) throws TranslateException {
    new UNetBenchmark(BenchmarkMachine.options(args)).run(args);
  }

  private void run(String[] args) throws TranslateException {
    String loadBefore = BenchmarkMachine.loadAverage();
    List<String> rows = new ArrayList<>();
    // DJL and torch alternate per configuration, so a change in machine load hits both alike
    for (int base : bases) {
      for (int patch : patches) {
        double[] ours = timeDjl(base, patch);
        String[] torch = torchTimings(base + ":" + patch).split(" ");
        double torchTrain = Double.parseDouble(torch[2]);
        double torchInfer = Double.parseDouble(torch[3]);
        rows.add(String.format("| %d | %d^3 | %.0f | %.0f | %.2f | %.0f | %.0f | %.2f | %.0f |", base, patch,
            ours[0], torchTrain, ours[0] / torchTrain, ours[1], torchInfer, ours[1] / torchInfer, ours[2]));
      }
    }
    System.out.println();
    System.out.println("Command: java -cp <model test class path> " + UNetBenchmark.class.getName() + " "
        + String.join(" ", args) + "  (depth " + depth + ", " + INPUT_CHANNELS + " input channels, batch " + batch + ", warmup "
        + warmup + ", mean of " + iterations + "; DJL " + ai.djl.engine.Engine.getDjlVersion() + " / PyTorch "
        + OfflinePyTorch.engine().getVersion() + " vs Debian torch " + torchVersion() + ", " + threads
        + " intra-op threads each; load average before " + loadBefore + ", after " + BenchmarkMachine.loadAverage() + ")");
    System.out.println();
    System.out.println("| base | patch | DJL train ms/it | torch train ms/it | DJL/torch | DJL infer ms/batch "
        + "| torch infer ms/batch | DJL/torch | DJL RSS growth over train loop (MB) |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    rows.forEach(System.out::println);
  }

  /** {training ms per iteration, inference ms per window, RSS growth in MB over the timed training loop}. */
  private double[] timeDjl(int base, int patch) throws TranslateException {
    UNet3d net = UNet3d.builder().setBaseChannels(base).optDepth(depth).optInputChannels(INPUT_CHANNELS).build();
    Shape inputShape = net.inputShape(batch, new int[] {patch, patch, patch});
    Shape labelShape = new Shape(batch, 1, patch, patch, patch);
    try (Model model = OfflinePyTorch.newModel("unet-benchmark")) {
      model.setBlock(net);
      DefaultTrainingConfig config = new DefaultTrainingConfig(new DiceBceLoss())
          .optOptimizer(Optimizer.adamW().optLearningRateTracker(Tracker.fixed(2e-4f)).optWeightDecays(1e-5f).build());
      double trainMs;
      long rssBefore;
      long rssAfter;
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(inputShape);
        for (int i = 0; i < warmup; i++) {
          trainStep(trainer, inputShape, labelShape);
        }
        rssBefore = BenchmarkMachine.residentKilobytes();
        long start = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
          trainStep(trainer, inputShape, labelShape);
        }
        trainMs = (System.nanoTime() - start) / 1e6 / iterations;
        rssAfter = BenchmarkMachine.residentKilobytes();
      }
      double inferMs;
      try (Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator());
          NDManager manager = OfflinePyTorch.newBaseManager()) {
        for (int i = 0; i < warmup; i++) {
          inferStep(predictor, manager, inputShape);
        }
        long start = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
          inferStep(predictor, manager, inputShape);
        }
        inferMs = (System.nanoTime() - start) / 1e6 / iterations;
      }
      System.out.printf("DJL base %d patch %d: train %.0f ms/it, infer %.0f ms/window%n", base, patch, trainMs, inferMs);
      return new double[] {trainMs, inferMs, (rssAfter - rssBefore) / 1024.0};
    }
  }

  /** One iteration; everything it allocates lives in a sub-manager closed at the end. */
  private static void trainStep(Trainer trainer, Shape inputShape, Shape labelShape) {
    try (NDManager iteration = trainer.getManager().newSubManager()) {
      NDArray x = iteration.randomNormal(inputShape);
      NDArray y = iteration.randomUniform(0, 1, labelShape).lt(0.1).toType(DataType.FLOAT32, false);
      try (GradientCollector collector = trainer.newGradientCollector()) {
        NDList logits = trainer.forward(new NDList(x));
        collector.backward(trainer.getLoss().evaluate(new NDList(y), logits));
      }
      trainer.step();
    }
  }

  private static void inferStep(Predictor<NDList, NDList> predictor, NDManager manager, Shape inputShape)
      throws TranslateException {
    try (NDManager window = manager.newSubManager()) {
      predictor.predict(new NDList(window.randomNormal(inputShape))).singletonOrThrow().toFloatArray();
    }
  }

  /** "base patch train_ms infer_ms" from the torch twin for one "base:patch" configuration. */
  private String torchTimings(String config) {
    String out = PythonOracle.run(TorchUNetTwin.scriptWithMain(UNetBenchmark.class, "torch_unet_bench.py"),
        String.valueOf(threads), String.valueOf(depth), String.valueOf(warmup), String.valueOf(iterations),
        String.valueOf(batch), config);
    System.out.println("torch " + out.strip());
    return out.strip();
  }

  private static String torchVersion() {
    return PythonOracle.run("import torch; print(torch.__version__)").strip();
  }
}

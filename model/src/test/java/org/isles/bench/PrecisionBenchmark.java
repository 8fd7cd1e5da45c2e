package org.isles.bench;

import static org.isles.model.inference.FloatArrays.maxDifference;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.isles.dataset.CaseDiscovery;
import org.isles.model.OfflinePyTorch;
import org.isles.model.inference.Bfloat16Network;
import org.isles.model.inference.CasePredictor;
import org.isles.model.inference.CpuFeatures;
import org.isles.model.inference.InferenceOptions;
import org.isles.model.inference.ModelEnsemble;
import org.isles.model.inference.Precision;
import org.isles.model.inference.PrecisionChoice;
import org.isles.model.inference.TestTimeAugmentation;
import org.isles.model.run.RunModel;
import org.isles.model.run.RunRecipe;
import org.isles.model.run.TrainedRun;
import org.isles.model.run.UntrainedRuns;
import org.isles.preprocess.PreprocessingSettings;
import org.isles.schemas.CaseRecord;
import org.isles.synth.SyntheticDataset;

/**
 * fp32 against bf16 inference ({@link Bfloat16Network}), both through DJL in one run: ms per
 * window (forward passes of (B, 2, p, p, p) without gradients, divided by B) for each
 * {@code base:patch} of {@code --windows} and each B of {@code --batches}, and seconds per case
 * of {@link CasePredictor} (what {@code isles predict} runs per case) with {@code --case-models}
 * seeded untrained models and {@code --tta} for the {@code --case} network. Prints the CPU model, its bf16 flags and what {@code auto} resolves to,
 * the load average, and for every window the largest bf16 - fp32 sigmoid difference. Not a test:
 * timings depend on the machine and its load.
 *
 * <p>Run from the repository root:
 *
 * <pre>
 * mvn -o -q -B -pl model -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -Xmx8g -cp model/target/test-classes:model/target/classes:$(cat model/target/cp.txt) \
 *     org.isles.bench.PrecisionBenchmark [--windows 16:64,32:96,32:128] [--batches 1] [--depth 4] [--precisions fp32,bf16] \
 *     [--warmup 1] [--reps 2] [--threads 1] [--case 16:64] [--case-models 5] [--tta flip] [--case-precisions fp32,bf16] \
 *     [--head-size 1.0]
 * </pre>
 *
 * {@code --case none} skips the per-case part. On a CPU without native bf16 torch emulates bf16
 * convolutions (hundreds of times slower): there pass small windows for bf16.
 */
public final class PrecisionBenchmark {
  private static final int INPUT_CHANNELS = 2;

  public static void main(String[] args) throws TranslateException, IOException {
    Map<String, String> options = BenchmarkMachine.options(args);
    List<int[]> windows = configs(options.getOrDefault("--windows", "16:64,32:96,32:128"));
    int depth = Integer.parseInt(options.getOrDefault("--depth", "4"));
    List<Integer> batches = BenchmarkMachine.integers(options.getOrDefault("--batches", "1"));
    List<Precision> precisions = precisions(options.getOrDefault("--precisions", "fp32,bf16"));
    int warmup = Integer.parseInt(options.getOrDefault("--warmup", "1"));
    int reps = Integer.parseInt(options.getOrDefault("--reps", "2"));
    int threads = Integer.parseInt(options.getOrDefault("--threads", "1"));
    String caseConfig = options.getOrDefault("--case", "16:64");
    int caseModels = Integer.parseInt(options.getOrDefault("--case-models", "5"));
    TestTimeAugmentation tta = TestTimeAugmentation.valueOf(options.getOrDefault("--tta", "flip").toUpperCase());
    List<Precision> casePrecisions = precisions(options.getOrDefault("--case-precisions", "fp32,bf16"));
    double headSize = Double.parseDouble(options.getOrDefault("--head-size", "1.0"));

    OfflinePyTorch.engine();
    JniUtils.setNumThreads(threads);
    JniUtils.setGradMode(false);
    CpuFeatures cpu = CpuFeatures.ofThisMachine();
    PrecisionChoice auto = PrecisionChoice.resolve(Precision.AUTO, cpu, Map.of("unet", RunModel.Format.DJL_PARAMETERS));
    System.out.println("CPU: " + cpu.model() + "; flags: " + String.join(" ", cpu.flags().stream()
        .filter(f -> f.startsWith("avx") || f.startsWith("amx") || f.equals("fma")).sorted().toList()));
    System.out.println("auto resolves to " + auto.resolved().id() + " (" + auto.reason() + ")");
    System.out.println("Command: java ... " + PrecisionBenchmark.class.getName() + " " + String.join(" ", args)
        + "  (DJL " + ai.djl.engine.Engine.getDjlVersion() + " / PyTorch " + OfflinePyTorch.engine().getVersion() + ", "
        + threads + " torch threads, depth " + depth + ", warmup " + warmup + ", mean of " + reps + ")");
    System.out.println();
    System.out.println("| base | patch | windows per pass | load | " + String.join(" | ", precisions.stream().map(p -> p.id() + " ms/window").toList())
        + " | fp32 / bf16 | max abs sigmoid difference |");
    System.out.println("|---|---|---|---|" + "---|".repeat(precisions.size()) + "---|---|");
    for (int[] window : windows) {
      for (int batch : batches) {
        windowRow(window[0], window[1], batch, depth, precisions, warmup, reps);
      }
    }
    if (!caseConfig.equals("none")) {
      int[] network = configs(caseConfig).get(0);
      perCase(network[0], network[1], depth, caseModels, tta, casePrecisions, threads, headSize);
    }
  }

  private static void windowRow(int base, int patch, int batch, int depth, List<Precision> precisions, int warmup, int reps)
      throws TranslateException {
    String load = BenchmarkMachine.loadAverage();
    RunRecipe recipe = new RunRecipe(base, depth, new int[] {patch, patch, patch}, PreprocessingSettings.spacing(2, 2, 2));
    try (Model model = OfflinePyTorch.newModel("precision-benchmark");
        NDManager manager = OfflinePyTorch.newBaseManager()) {
      var network = recipe.network();
      model.setBlock(network);
      OfflinePyTorch.engine().setRandomSeed(7);
      network.initialize(model.getNDManager(), DataType.FLOAT32, network.inputShape(1, recipe.windowShape()));
      Shape shape = network.inputShape(batch, recipe.windowShape());
      NDArray input = manager.randomNormal(shape);
      List<String> cells = new ArrayList<>();
      double[] ms = new double[precisions.size()];
      float[][] sigmoid = new float[precisions.size()][];
      for (int i = 0; i < precisions.size(); i++) {
        Precision precision = precisions.get(i);
        if (precision == Precision.BF16) {
          // a copy of the same parameters: closing the bf16 network closes its model
          try (Bfloat16Network bf16 = Bfloat16Network.of(sameParameters(model, recipe))) {
            ms[i] = time(warmup, reps, () -> bf16.forward(input)) / batch;
            sigmoid[i] = sigmoidOf(bf16.forward(input));
          }
        } else {
          try (Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator())) {
            ms[i] = time(warmup, reps, () -> predict(predictor, input)) / batch;
            sigmoid[i] = sigmoidOf(predict(predictor, input));
          }
        }
        cells.add(String.format("%.0f", ms[i]));
        System.err.printf("base %d patch %d batch %d %s: %.0f ms/window%n", base, patch, batch, precision.id(), ms[i]);
      }
      int fp32 = precisions.indexOf(Precision.FP32);
      int bf16 = precisions.indexOf(Precision.BF16);
      String ratio = fp32 >= 0 && bf16 >= 0 ? String.format("%.2f", ms[fp32] / ms[bf16]) : "-";
      String difference = fp32 >= 0 && bf16 >= 0 ? String.format("%.4f", maxDifference(sigmoid[fp32], sigmoid[bf16])) : "-";
      System.out.printf("| %d | %d^3 | %d | %s | %s | %s | %s |%n", base, patch, batch, load, String.join(" | ", cells), ratio, difference);
    }
  }

  /** Seconds per case of CasePredictor for each precision, second pass of the loaded ensemble (the first warms up). */
  private static void perCase(int base, int patch, int depth, int models, TestTimeAugmentation tta, List<Precision> precisions,
      int threads, double headSize) throws IOException {
    Path work = Files.createTempDirectory("precision-bench");
    new SyntheticDataset(1, headSize).writeCase(work.resolve("isles"), 1);
    CaseRecord record = CaseDiscovery.discover(work.resolve("isles")).get(0);
    RunRecipe recipe = new RunRecipe(base, depth, new int[] {patch, patch, patch}, PreprocessingSettings.spacing(2, 2, 2));
    TrainedRun run = UntrainedRuns.create(work.resolve("run"), recipe, models, 1);
    InferenceOptions inference = InferenceOptions.defaults().withAugmentation(tta);
    System.out.println();
    System.out.printf("Per case: synthetic %s (head size %.2f of an adult's) at 2 mm, %d models (base %d, depth %d, patch %d^3), tta %s, overlap 0.5, window batch %d,"
        + " %d torch threads%n", record.getCaseId(), headSize, models, base, depth, patch, tta.name().toLowerCase(),
        InferenceOptions.DEFAULT_WINDOW_BATCH, threads);
    System.out.println();
    System.out.println("| precision | load | s per case (1st, 2nd) | fp32 / this (2nd) | max abs probability difference to fp32 |");
    System.out.println("|---|---|---|---|---|");
    double fp32Seconds = Double.NaN;
    float[] fp32Probabilities = null;
    for (Precision precision : precisions) {
      String load = BenchmarkMachine.loadAverage();
      double[] seconds = new double[2];
      float[] probabilities = null;
      try (ModelEnsemble ensemble = ModelEnsemble.load(run, run.modelIds(), precision)) {
        CasePredictor predictor = new CasePredictor(ensemble, inference);
        for (int pass = 0; pass < 2; pass++) {
          long start = System.nanoTime();
          probabilities = predictor.predict(record).data();
          seconds[pass] = (System.nanoTime() - start) / 1e9;
          System.err.printf("case %s pass %d: %.1f s%n", precision.id(), pass + 1, seconds[pass]);
        }
      }
      if (precision == Precision.FP32) {
        fp32Seconds = seconds[1];
        fp32Probabilities = probabilities;
      }
      System.out.printf("| %s | %s | %.1f, %.1f | %s | %s |%n", precision.id(), load, seconds[0], seconds[1],
          Double.isNaN(fp32Seconds) ? "-" : String.format("%.2f", fp32Seconds / seconds[1]),
          fp32Probabilities == null ? "-" : String.format("%.4f", maxDifference(fp32Probabilities, probabilities)));
    }
  }

  /** A second model with the parameters of {@code model} (saved and loaded through DJL's format). */
  private static Model sameParameters(Model model, RunRecipe recipe) {
    try {
      Path file = Files.createTempFile("precision-bench", ".params");
      try (var out = new java.io.DataOutputStream(Files.newOutputStream(file))) {
        model.getBlock().saveParameters(out);
      }
      Model copy = ModelEnsemble.loadTrained(recipe, file, "bf16");
      Files.delete(file);
      return copy;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private interface Pass {
    NDArray run() throws TranslateException;
  }

  private static double time(int warmup, int reps, Pass pass) throws TranslateException {
    for (int i = 0; i < warmup; i++) {
      pass.run().close();
    }
    long start = System.nanoTime();
    for (int i = 0; i < reps; i++) {
      pass.run().close();
    }
    return (System.nanoTime() - start) / 1e6 / reps;
  }

  private static NDArray predict(Predictor<NDList, NDList> predictor, NDArray input) throws TranslateException {
    return predictor.predict(new NDList(input)).singletonOrThrow();
  }

  private static float[] sigmoidOf(NDArray logits) {
    float[] values = logits.getNDArrayInternal().sigmoid().toFloatArray();
    logits.close();
    return values;
  }

  private static List<int[]> configs(String text) {
    return Arrays.stream(text.split(",")).map(c -> c.trim().split(":"))
        .map(p -> new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1])}).toList();
  }

  private static List<Precision> precisions(String text) {
    return Arrays.stream(text.split(",")).map(Precision::parse).toList();
  }
}

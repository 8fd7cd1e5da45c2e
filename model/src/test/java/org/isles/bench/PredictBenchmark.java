package org.isles.bench;

import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.isles.dataset.CaseDiscovery;
import org.isles.model.OfflinePyTorch;
import org.isles.model.inference.CasePredictor;
import org.isles.model.inference.InferenceOptions;
import org.isles.model.inference.ModelEnsemble;
import org.isles.model.inference.TestTimeAugmentation;
import org.isles.model.run.RunRecipe;
import org.isles.model.run.TrainedRun;
import org.isles.model.run.UntrainedRuns;
import org.isles.model.unet.TorchUNetTwin;
import org.isles.nifti.Nifti;
import org.isles.nifti.NiftiDatatype;
import org.isles.preprocess.CasePreprocessor;
import org.isles.preprocess.PreprocessingSettings;
import org.isles.schemas.CaseRecord;
import org.isles.synth.SyntheticDataset;
import org.isles.testing.PythonOracle;
import org.isles.volume.Grid;
import org.isles.volume.Volume;

/**
 * Seconds per case of prediction at 2 mm: 1 model without TTA and 5 models with flip TTA, DJL
 * against the same sliding window and ensemble mean in Debian's torch (run as a child python by
 * this same run, on the same preprocessed image, with the same U-Net architecture). For DJL it
 * reports the whole case twice (read, preprocess, windows, map back to the DWI grid, write both
 * NIfTI files; the first pass of freshly loaded models is slower) and the sliding window alone, which is what torch does; the sliding window also in
 * process CPU seconds (all threads), which a loaded machine distorts less than wall time. Weights are untrained (seeded):
 * timings do not depend on them. Not a test: timings depend on the machine and its load.
 *
 * <p>Run from the repository root:
 *
 * <pre>
 * mvn -o -q -B -pl model -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -Xmx8g -cp model/target/test-classes:model/target/classes:$(cat model/target/cp.txt) \
 *     org.isles.bench.PredictBenchmark [--base 32] [--patch 96] [--depth 4] [--threads 2] [--head-size 1.0] [--seed 1]
 * </pre>
 */
public final class PredictBenchmark {
  /** CPU time of the whole process, native torch threads included. */
  private static final com.sun.management.OperatingSystemMXBean PROCESS =
      (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
  private static final List<Config> CONFIGS = List.of(new Config(1, TestTimeAugmentation.NONE),
      new Config(5, TestTimeAugmentation.FLIP));

  private record Config(int models, TestTimeAugmentation tta) {
    String name() {
      return tta.name().toLowerCase();
    }
  }

  public static void main(String[] args) throws IOException {
    Map<String, String> options = BenchmarkMachine.options(args);
    int base = Integer.parseInt(options.getOrDefault("--base", "32"));
    int patch = Integer.parseInt(options.getOrDefault("--patch", "96"));
    int depth = Integer.parseInt(options.getOrDefault("--depth", "4"));
    int threads = Integer.parseInt(options.getOrDefault("--threads", "2"));
    double headSize = Double.parseDouble(options.getOrDefault("--head-size", "1.0"));
    long seed = Long.parseLong(options.getOrDefault("--seed", "1"));

    Path work = Files.createTempDirectory("predict-bench");
    new SyntheticDataset(seed, headSize).writeCase(work.resolve("isles"), 1);
    CaseRecord record = CaseDiscovery.discover(work.resolve("isles")).get(0);
    RunRecipe recipe = new RunRecipe(base, depth, new int[] {patch, patch, patch}, PreprocessingSettings.spacing(2, 2, 2));
    OfflinePyTorch.engine();
    JniUtils.setNumThreads(threads);
    TrainedRun run = UntrainedRuns.create(work.resolve("run"), recipe, 5, 1);

    CasePreprocessor.PreparedCase prepared = new CasePreprocessor(recipe.preprocessing())
        .prepare(CaseRecord.newBuilder(record).setMaskPath(null).build());
    Grid grid = prepared.channels().get(0).grid();
    int[] shape = {2, grid.nz(), grid.ny(), grid.nx()};
    float[] image = new float[2 * grid.size()];
    for (int c = 0; c < 2; c++) {
      System.arraycopy(prepared.channels().get(c).data(), 0, image, c * grid.size(), grid.size());
    }
    PythonOracle.writeFloats(work.resolve("image.bin"), image);

    System.out.printf("case %s: DWI %s at %s mm -> processed %d x %d x %d at 2 mm; U-Net base %d depth %d, patch %d^3, "
            + "overlap 0.5, window batch %d, %d threads%n", record.getCaseId(), java.util.Arrays.toString(record.getShape().toArray()),
        record.getSpacing(), grid.nx(), grid.ny(), grid.nz(), base, depth, patch, InferenceOptions.DEFAULT_WINDOW_BATCH, threads);
    System.out.println("| models | TTA | windows | load | DJL whole case wall s (1st, 2nd) | DJL sliding window wall s (CPU s) |"
        + " torch sliding window wall s (CPU s) | torch / DJL (CPU) |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    warmUp(run, recipe, grid, image, shape);
    for (Config config : CONFIGS) {
      String load = BenchmarkMachine.loadAverage();
      InferenceOptions inference = InferenceOptions.defaults().withAugmentation(config.tta());
      double[] wholeCase = new double[2];
      double slidingWindow;
      double slidingWindowCpu;
      try (ModelEnsemble ensemble = ModelEnsemble.load(run, run.modelIds().subList(0, config.models()))) {
        CasePredictor predictor = new CasePredictor(ensemble, inference);
        for (int pass = 0; pass < 2; pass++) {
          long start = System.nanoTime();
          Volume probabilities = predictor.predict(record);
          Nifti.write(work.resolve("probabilities.nii.gz"), probabilities, NiftiDatatype.FLOAT32);
          Nifti.write(work.resolve("mask.nii.gz"), threshold(probabilities), NiftiDatatype.UINT8);
          wholeCase[pass] = (System.nanoTime() - start) / 1e9;
        }
        long start = System.nanoTime();
        long cpuStart = PROCESS.getProcessCpuTime();
        ensemble.predictProbabilities(inference, grid, image, shape);
        slidingWindow = (System.nanoTime() - start) / 1e9;
        slidingWindowCpu = (PROCESS.getProcessCpuTime() - cpuStart) / 1e9;
      }
      String[] torch = torchRun(work, shape, base, depth, patch, threads, config);
      double torchCpu = Double.parseDouble(torch[4]);
      System.out.printf("| %d | %s | %s | %s | %.1f, %.1f | %.1f (%.1f) | %s (%.1f) | %.2f |%n", config.models(), config.name(),
          torch[2], load, wholeCase[0], wholeCase[1], slidingWindow, slidingWindowCpu, torch[3], torchCpu, torchCpu / slidingWindowCpu);
    }
  }

  /** One single-model pass, so neither side's first-call set-up lands in a timed row. */
  private static void warmUp(TrainedRun run, RunRecipe recipe, Grid grid, float[] image, int[] shape) {
    try (ModelEnsemble first = ModelEnsemble.load(run, run.modelIds().subList(0, 1))) {
      first.predictProbabilities(InferenceOptions.defaults(), grid, image, shape);
    }
  }

  /** Torch's output line: models, TTA, windows, wall seconds, CPU seconds. */
  private static String[] torchRun(Path work, int[] shape, int base, int depth, int patch, int threads, Config config) {
    String script = TorchUNetTwin.scriptWithMain(PredictBenchmark.class, "torch_sliding_window_bench.py");
    String out = PythonOracle.run(script, work.resolve("image.bin").toString(), "" + shape[0], "" + shape[1], "" + shape[2],
        "" + shape[3], "" + base, "" + depth, "" + patch, "" + InferenceOptions.defaults().overlap(),
        "" + InferenceOptions.DEFAULT_WINDOW_BATCH, "" + threads, config.models() + ":" + config.name());
    return out.strip().split(" ");
  }

  private static Volume threshold(Volume probabilities) {
    float[] mask = new float[probabilities.data().length];
    for (int n = 0; n < mask.length; n++) {
      mask[n] = probabilities.data()[n] >= 0.5f ? 1f : 0f;
    }
    return new Volume(probabilities.grid(), mask);
  }
}

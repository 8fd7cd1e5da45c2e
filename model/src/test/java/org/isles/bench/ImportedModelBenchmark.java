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
import org.isles.model.interop.ModelImport;
import org.isles.model.interop.RunExport;
import org.isles.model.run.ModelCard;
import org.isles.model.run.RunModel;
import org.isles.model.run.RunRecipe;
import org.isles.model.run.TrainedRun;
import org.isles.model.run.UntrainedRuns;
import org.isles.model.unet.TorchUNetTwin;
import org.isles.preprocess.PreprocessingSettings;
import org.isles.schemas.CaseRecord;
import org.isles.synth.SyntheticDataset;
import org.isles.testing.PythonOracle;

/**
 * Seconds per case of {@code CasePredictor} (what {@code isles predict} runs per case: preprocess,
 * sliding window, map back) with the same U-Net three ways, in one run on the same cases: built in
 * DJL (the anchor), scripted by Debian's torch as the torch twin of {@code UNet3d} and imported as
 * TorchScript, and exported to ONNX and imported (ONNX Runtime). Weights are random (seeded):
 * timings do not depend on them. Not a test.
 *
 * <pre>
 * mvn -o -q -B -pl model -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -Xmx8g -cp model/target/test-classes:model/target/classes:$(cat model/target/cp.txt) \
 *     org.isles.bench.ImportedModelBenchmark [--base 16] [--depth 3] [--patch 32] [--cases 3] [--threads 2]
 * </pre>
 */
public final class ImportedModelBenchmark {
  private ImportedModelBenchmark() {}

  public static void main(String[] args) throws IOException {
    Map<String, String> options = BenchmarkMachine.options(args);
    int base = Integer.parseInt(options.getOrDefault("base", "16"));
    int depth = Integer.parseInt(options.getOrDefault("depth", "3"));
    int patch = Integer.parseInt(options.getOrDefault("patch", "32"));
    int cases = Integer.parseInt(options.getOrDefault("cases", "3"));
    int threads = Integer.parseInt(options.getOrDefault("threads", "2"));
    OfflinePyTorch.engine();
    JniUtils.setNumThreads(threads);
    Path work = Files.createTempDirectory("imported-bench");
    RunRecipe recipe = new RunRecipe(base, depth, new int[] {patch, patch, patch}, PreprocessingSettings.spacing(2, 2, 2));
    SyntheticDataset synthetic = new SyntheticDataset(11, SyntheticDataset.DEFAULT_SIZE);
    for (int n = 1; n <= cases; n++) {
      synthetic.writeCase(work.resolve("isles"), n);
    }
    List<CaseRecord> records = CaseDiscovery.discover(work.resolve("isles"));

    TrainedRun djl = UntrainedRuns.create(work.resolve("djl"), recipe, 1, 1);
    Path script = Files.writeString(work.resolve("twin.py"), TorchUNetTwin.scriptWithMain(ImportedModelBenchmark.class, "torch_unet_script.py"));
    Path pt = work.resolve("twin.pt");
    PythonOracle.run("import runpy, sys; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')",
        script.toString(), pt.toString(), "" + base, "" + depth);
    ModelCard card = recipe.card();
    ModelImport.importModels(List.of(pt), RunModel.Format.TORCHSCRIPT, card, work.resolve("torchscript"));
    Path onnx = RunExport.export(djl, djl.modelIds(), RunExport.Format.ONNX, work.resolve("export")).get(0);
    ModelImport.importModels(List.of(onnx), RunModel.Format.ONNX, card, work.resolve("onnx"));

    System.out.printf("cpu-demo-sized U-Net (base %d, depth %d, patch %d^3), 2 mm, %d synthetic cases, %d torch threads, load %s%n",
        base, depth, patch, cases, threads, BenchmarkMachine.loadAverage());
    System.out.println("| model | s per case (mean of cases, after one warm-up case) | / DJL |");
    System.out.println("|---|---|---|");
    double anchor = 0;
    for (String name : List.of("djl", "torchscript", "onnx")) {
      TrainedRun run = TrainedRun.open(work.resolve(name));
      try (ModelEnsemble ensemble = ModelEnsemble.load(run, run.modelIds())) {
        CasePredictor predictor = new CasePredictor(ensemble, InferenceOptions.defaults());
        predictor.predict(records.get(0));
        long start = System.nanoTime();
        for (CaseRecord record : records) {
          predictor.predict(record);
        }
        double seconds = (System.nanoTime() - start) / 1e9 / records.size();
        if (name.equals("djl")) {
          anchor = seconds;
        }
        String label = switch (name) {
          case "djl" -> "built in DJL (UNet3d, parameters.params)";
          case "torchscript" -> "imported TorchScript (torch twin, scripted by Debian's torch 1.13)";
          default -> "exported to ONNX and imported (ONNX Runtime 1.20 CPU)";
        };
        System.out.printf("| %s | %.2f | %.2f |%n", label, seconds, seconds / anchor);
      }
    }
  }
}

package org.isles.model.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.isles.io.AtomicFiles;
import org.isles.model.OfflinePyTorch;
import org.isles.model.inference.InferenceOptions;
import org.isles.model.inference.ModelEnsemble;
import org.isles.model.run.ModelCard;
import org.isles.model.run.ModelFolder;
import org.isles.model.run.RunModel;
import org.isles.model.run.RunRecipe;
import org.isles.model.run.TrainedRun;
import org.isles.model.run.UntrainedRuns;
import org.isles.preprocess.CasePreprocessor;
import org.isles.preprocess.PreprocessingSettings;
import org.isles.schemas.CaseRecord;
import org.isles.dataset.CaseDiscovery;
import org.isles.synth.SyntheticDataset;
import org.isles.testing.PythonOracle;
import org.isles.volume.Grid;
import org.isles.volume.Volume;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cpu-demo-sized U-Net (base 16, depth 3, patch 32^3, 2 mm; random weights, with instance-norm
 * scales and shifts perturbed away from 1 and 0 so a swap of the two would show) exported to ONNX:
 * python3-onnx's full checker accepts it, ONNX Runtime (Java) reproduces DJL's whole-case
 * sliding-window probabilities, and importing the export back gives the same predictions.
 * Numerical equivalence does not need trained weights.
 */
class OnnxExportTest {
  private static final RunRecipe CPU_DEMO = new RunRecipe(16, 3, new int[] {32, 32, 32}, PreprocessingSettings.spacing(2, 2, 2));

  @TempDir static Path dir;
  private static TrainedRun run;
  private static Path exported;

  @BeforeAll
  static void exportARun() {
    OfflinePyTorch.engine();
    JniUtils.setNumThreads(2);
    run = UntrainedRuns.create(dir.resolve("run"), CPU_DEMO, 1, 1);
    perturbParameters(run.parametersFile("fold_0/seed_0"));
    exported = dir.resolve("export");
    List<Path> files = RunExport.export(run, run.modelIds(), RunExport.Format.ONNX, exported);
    assertEquals(List.of(exported.resolve("fold_0_seed_0.onnx")), files);
  }

  @Test
  void theExportPassesOnnxsFullCheckWithStandardOperators() {
    String out = PythonOracle.run("""
        import onnx, sys
        m = onnx.load(sys.argv[1])
        onnx.checker.check_model(m, full_check=True)
        print(m.ir_version, m.opset_import[0].version, ','.join(sorted({n.op_type for n in m.graph.node})))
        print([d.dim_param or d.dim_value for d in m.graph.input[0].type.tensor_type.shape.dim])
        print(dict((p.key, p.value) for p in m.metadata_props)['isles_model_card'].splitlines()[0])
        """, exported.resolve("fold_0_seed_0.onnx").toString());
    List<String> lines = out.lines().toList();
    assertEquals("8 17 Concat,Conv,ConvTranspose,InstanceNormalization,LeakyRelu,MaxPool", lines.get(0));
    assertEquals("['N', 2, 'D', 'H', 'W']", lines.get(1));
    assertTrue(lines.get(2).startsWith("channels:"), lines.get(2));
  }

  @Test
  void onnxRuntimeGivesDjlsProbabilitiesOnAWholeCaseAndTheImportedExportPredictsTheSame() throws Exception {
    Path data = dir.resolve("isles");
    new SyntheticDataset(3, SyntheticDataset.DEFAULT_SIZE).writeCase(data, 1);
    CaseRecord record = CaseDiscovery.discover(data).get(0);
    CasePreprocessor.PreparedCase prepared = new CasePreprocessor(CPU_DEMO.preprocessing()).prepare(record);
    Grid grid = prepared.channels().get(0).grid();
    int voxels = grid.size();
    float[] image = new float[2 * voxels];
    for (int c = 0; c < 2; c++) {
      System.arraycopy(prepared.channels().get(c).data(), 0, image, c * voxels, voxels);
    }
    int[] shape = {2, grid.nz(), grid.ny(), grid.nx()};
    InferenceOptions options = InferenceOptions.defaults();
    float[] djl;
    try (ModelEnsemble ensemble = ModelEnsemble.load(run, run.modelIds())) {
      djl = ensemble.predictProbabilities(options, grid, image, shape);
    }

    ModelCard card = ModelCard.read(exported.resolve(ModelCard.FILE));
    assertEquals(CPU_DEMO.card(), card);
    Path importedRun = dir.resolve("imported-run");
    List<String> ids = ModelImport.importModels(List.of(exported.resolve("fold_0_seed_0.onnx")), RunModel.Format.ONNX,
        card, importedRun);
    assertEquals(List.of("imported/fold_0_seed_0"), ids);
    float[] onnx;
    try (ModelEnsemble ensemble = ModelEnsemble.load(TrainedRun.open(importedRun), ids)) {
      onnx = ensemble.predictProbabilities(options, grid, image, shape);
    }

    double maxDifference = 0;
    double spread = 0;
    for (int n = 0; n < djl.length; n++) {
      maxDifference = Math.max(maxDifference, Math.abs(djl[n] - onnx[n]));
      spread = Math.max(spread, Math.abs(djl[n] - djl[0]));
    }
    System.out.printf("ONNX Runtime vs DJL on %d voxels: max |dp| = %.2e%n", djl.length, maxDifference);
    assertTrue(maxDifference < 1e-4, "ONNX Runtime vs DJL max |dp| = " + maxDifference + " over " + djl.length + " voxels");
    assertTrue(spread > 0.05, "probabilities must vary over the case, or the comparison proves little: " + spread);

    // the export imported into the run it came from: a mixed ensemble of a trained and an imported model
    ModelImport.importModels(List.of(exported.resolve("fold_0_seed_0.onnx")), RunModel.Format.ONNX, card, run.dir());
    TrainedRun mixed = TrainedRun.open(run.dir());
    assertEquals(List.of("fold_0/seed_0", "imported/fold_0_seed_0"), mixed.modelIds());
    try (ModelEnsemble ensemble = ModelEnsemble.load(mixed, mixed.modelIds())) {
      float[] mean = ensemble.predictProbabilities(options, grid, image, shape);
      for (int n = 0; n < djl.length; n++) {
        assertEquals(djl[n], mean[n], 1e-4, "voxel " + n);
      }
    }
  }

  @Test
  void aCardThatDoesNotFitAndACorruptFileAreClearErrorsAndLeaveNoModel() throws Exception {
    Path onnxFile = exported.resolve("fold_0_seed_0.onnx");
    ModelCard twoOutputs = ModelCard.read(exported.resolve(ModelCard.FILE));
    Map<String, Object> map = new java.util.LinkedHashMap<>(twoOutputs.toMap());
    map.put("output_channels", 2);
    map.put("lesion_channel", 1);
    Path badCard = dir.resolve("two-outputs.yaml");
    Files.writeString(badCard, new com.fasterxml.jackson.databind.ObjectMapper(
        new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).writeValueAsString(map));
    Path target = dir.resolve("mismatch-run");
    IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
        () -> ModelImport.importModels(List.of(onnxFile), RunModel.Format.ONNX, ModelCard.read(badCard), target));
    assertTrue(mismatch.getMessage().contains("does not fit its card")
        && mismatch.getMessage().contains("expects (1, 2, 32, 32, 32)"), mismatch.getMessage());
    assertTrue(!Files.exists(ModelFolder.importedDir(target, "fold_0_seed_0")), "a refused model is not left behind");

    Path corrupt = Files.write(dir.resolve("corrupt.onnx"), "not a protobuf at all".getBytes());
    IllegalArgumentException broken = assertThrows(IllegalArgumentException.class,
        () -> ModelImport.importModels(List.of(corrupt), RunModel.Format.ONNX, twoOutputs, dir.resolve("corrupt-run")));
    assertTrue(broken.getMessage().startsWith("cannot import " + corrupt + ": cannot load ONNX model ")
        && broken.getMessage().contains("Protobuf parsing failed"), broken.getMessage());
    assertTrue(!broken.getMessage().contains("\n"), "one line: " + broken.getMessage());
  }

  /** Every parameter plus N(0, 0.2) noise, saved back: norm scales no longer 1, shifts no longer 0. */
  private static void perturbParameters(Path file) {
    try (Model model = ModelEnsemble.loadTrained(CPU_DEMO, file, "perturbed")) {
      OfflinePyTorch.engine().setRandomSeed(5);
      for (Pair<String, Parameter> parameter : model.getBlock().getParameters()) {
        NDArray array = parameter.getValue().getArray();
        array.addi(model.getNDManager().randomNormal(0f, 0.2f, array.getShape(), array.getDataType()));
      }
      AtomicFiles.write(file, out -> model.getBlock().saveParameters(new DataOutputStream(out)));
    }
  }
}

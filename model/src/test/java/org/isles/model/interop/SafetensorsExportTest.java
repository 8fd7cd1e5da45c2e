package org.isles.model.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.isles.io.AtomicFiles;
import org.isles.model.OfflinePyTorch;
import org.isles.model.inference.ModelEnsemble;
import org.isles.model.run.ModelCard;
import org.isles.model.run.RunModel;
import org.isles.model.run.RunRecipe;
import org.isles.model.run.TrainedRun;
import org.isles.model.run.UntrainedRuns;
import org.isles.model.unet.TorchUNetTwin;
import org.isles.model.unet.UNet3d;
import org.isles.preprocess.PreprocessingSettings;
import org.isles.testing.PythonOracle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small random U-Net (perturbed so norm scales are not 1 and shifts not 0) exported to
 * safetensors and read back by hand in python3 (json + numpy): the header and byte layout follow
 * the format, every tensor equals its DJL parameter exactly (the up-sampling re-laid out as
 * ConvTranspose3d), and the torch twin takes the file with load_state_dict(strict=True) and gives
 * DJL's logits.
 */
class SafetensorsExportTest {
  private static final int SIZE = 16;
  private static final RunRecipe SMALL = new RunRecipe(4, 2, new int[] {SIZE, SIZE, SIZE}, PreprocessingSettings.spacing(2, 2, 2));

  @TempDir Path dir;

  @Test
  void theExportIsSafetensorsThatTheTorchTwinLoadsStrictlyAndRunsLikeDjl() throws Exception {
    OfflinePyTorch.engine();
    TrainedRun run = UntrainedRuns.create(dir.resolve("run"), SMALL, 1, 1);
    Path parameters = run.parametersFile("fold_0/seed_0");
    Path work = Files.createDirectories(dir.resolve("work"));
    try (Model model = ModelEnsemble.loadTrained(SMALL, parameters, "perturbed")) {
      OfflinePyTorch.engine().setRandomSeed(11);
      StringBuilder manifest = new StringBuilder();
      List<Pair<String, Parameter>> named = model.getBlock().getParameters().stream().toList();
      for (int i = 0; i < named.size(); i++) {
        NDArray array = named.get(i).getValue().getArray();
        array.addi(model.getNDManager().randomNormal(0f, 0.2f, array.getShape(), array.getDataType()));
        manifest.append(i).append(' ').append(named.get(i).getKey());
        for (long d : array.getShape().getShape()) {
          manifest.append(' ').append(d);
        }
        manifest.append('\n');
        PythonOracle.writeFloats(work.resolve("p" + i + ".bin"), array.toFloatArray());
      }
      Files.writeString(work.resolve("manifest.txt"), manifest);
      AtomicFiles.write(parameters, out -> model.getBlock().saveParameters(new DataOutputStream(out)));

      UNet3d net = (UNet3d) model.getBlock();
      NDArray x = model.getNDManager().randomNormal(net.inputShape(1, new int[] {SIZE, SIZE, SIZE}));
      NDArray logits = net.forward(new ParameterStore(model.getNDManager(), false), new NDList(x), false).singletonOrThrow();
      PythonOracle.writeFloats(work.resolve("x.bin"), x.toFloatArray());
      PythonOracle.writeFloats(work.resolve("djl.bin"), logits.toFloatArray());
    }

    Path exported = dir.resolve("export");
    List<Path> files = RunExport.export(run, run.modelIds(), RunExport.Format.SAFETENSORS, exported);
    Path file = exported.resolve("fold_0_seed_0.safetensors");
    assertEquals(List.of(file), files);
    assertEquals(SMALL.card(), ModelCard.read(exported.resolve(ModelCard.FILE)));
    try (var listing = Files.list(exported)) {
      assertEquals(2, listing.count(), "the model and card.yaml, no temporary files");
    }

    String out = PythonOracle.run(TorchUNetTwin.scriptWithMain(SafetensorsExportTest.class, "safetensors_oracle.py"),
        file.toString(), work.toString(), "2", "4", "2", String.valueOf(SIZE));
    List<String> lines = out.lines().toList();
    String[] figures = lines.get(0).split(" ");
    int twoConvs = 1 + 2 + 2;
    assertEquals(twoConvs * 2 * 3 + 2 * 2 + 2, Integer.parseInt(figures[0]), "tensors in the file");
    double difference = Double.parseDouble(figures[1]);
    System.out.printf("torch twin from safetensors vs DJL: max |d logit| = %.2e%n", difference);
    assertTrue(difference < 1e-4, "torch twin vs DJL max |d logit| = " + difference);
    assertTrue(Double.parseDouble(figures[2]) > 0.05, "logits must vary, or the comparison proves little: " + figures[2]);
    assertTrue(lines.get(1).startsWith("channels:"), lines.get(1));
  }

  @Test
  void anImportedModelIsRefusedWithAOneLineReason() throws Exception {
    OfflinePyTorch.engine();
    TrainedRun run = UntrainedRuns.create(dir.resolve("run"), SMALL, 1, 1);
    Path onnx = dir.resolve("onnx");
    RunExport.export(run, run.modelIds(), RunExport.Format.ONNX, onnx);
    Path importedRun = dir.resolve("imported-run");
    List<String> ids = ModelImport.importModels(List.of(onnx.resolve("fold_0_seed_0.onnx")), RunModel.Format.ONNX,
        SMALL.card(), importedRun);
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> RunExport.export(TrainedRun.open(importedRun), ids, RunExport.Format.SAFETENSORS, dir.resolve("out")));
    assertEquals("model imported/fold_0_seed_0 is imported onnx; only networks trained here have parameters to write "
        + "as safetensors; use --format onnx", refused.getMessage());
    assertTrue(!Files.exists(dir.resolve("out")), "nothing written");
  }
}

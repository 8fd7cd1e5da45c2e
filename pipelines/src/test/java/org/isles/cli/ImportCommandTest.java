package org.isles.cli;

import static org.isles.cli.CliRun.isles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.pytorch.jni.JniUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.isles.dataset.CaseDiscovery;
import org.isles.io.Json;
import org.isles.model.OfflinePyTorch;
import org.isles.model.run.ModelCard;
import org.isles.model.run.ModelFolder;
import org.isles.nifti.Nifti;
import org.isles.pipelines.RunLayout;
import org.isles.preprocess.CasePreprocessor;
import org.isles.preprocess.InverseMapping;
import org.isles.schemas.CaseRecord;
import org.isles.synth.SyntheticDataset;
import org.isles.testing.PythonOracle;
import org.isles.volume.Grid;
import org.isles.volume.Volume;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code isles import} of TorchScript U-Nets (Conv3d, InstanceNorm3d, ConvTranspose3d) that
 * Debian's torch scripts at test time, then {@code isles predict} and {@code isles export}:
 * probabilities equal a sliding window written here in torch, independently of the Java one.
 */
class ImportCommandTest {
  /** The network and the oracle: {@code make OUT.pt VARIANT} or {@code slide MODEL.pt IMAGE C D H W PATCH OUT}. */
  private static final String TORCH = """
      import sys, math, numpy as np, torch
      from torch import nn
      torch.manual_seed(3)
      def block(i, o):
          return nn.Sequential(nn.Conv3d(i, o, 3, padding=1), nn.InstanceNorm3d(o, affine=True), nn.LeakyReLU(0.01),
                               nn.Conv3d(o, o, 3, padding=1), nn.InstanceNorm3d(o, affine=True), nn.LeakyReLU(0.01))
      class UNet(nn.Module):
          def __init__(self, channels, outputs, probabilities):
              super().__init__()
              self.enc1, self.enc2, self.bottom = block(channels, 4), block(4, 8), block(8, 16)
              self.up2, self.dec2 = nn.ConvTranspose3d(16, 8, 2, stride=2), block(16, 8)
              self.up1, self.dec1 = nn.ConvTranspose3d(8, 4, 2, stride=2), block(8, 4)
              self.head = nn.Conv3d(4, outputs, 1)
              self.probabilities = probabilities
          def forward(self, x):
              e1 = self.enc1(x)
              e2 = self.enc2(nn.functional.max_pool3d(e1, 2))
              b = self.bottom(nn.functional.max_pool3d(e2, 2))
              d2 = self.dec2(torch.cat([self.up2(b), e2], 1))
              y = self.head(self.dec1(torch.cat([self.up1(d2), e1], 1)))
              return torch.softmax(y, 1) if self.probabilities else y
      if sys.argv[1] == 'make':
          outputs = 2 if sys.argv[3] in ('two_outputs', 'softmax_probabilities') else 1
          net = UNet(2, outputs, sys.argv[3] == 'softmax_probabilities')
          with torch.no_grad():
              for m in net.modules():
                  if isinstance(m, nn.InstanceNorm3d):
                      m.weight.uniform_(0.5, 1.5); m.bias.uniform_(-0.3, 0.3)
          torch.jit.script(net.eval()).save(sys.argv[2])
      else:
          net = torch.jit.load(sys.argv[2]).eval()
          c, d, h, w = (int(v) for v in sys.argv[4:8]); patch = int(sys.argv[8])
          image = np.fromfile(sys.argv[3], dtype='<f4').reshape(c, d, h, w)
          size = [d, h, w]; padded = [max(s, patch) for s in size]; lo = [(p - s) // 2 for p, s in zip(padded, size)]
          x = np.zeros([c] + padded, dtype=np.float32)
          x[:, lo[0]:lo[0] + d, lo[1]:lo[1] + h, lo[2]:lo[2] + w] = image
          def starts(n):
              count = math.ceil((n - patch) / (patch * 0.5)) + 1
              step = (n - patch) / (count - 1) if count > 1 else 0
              return [int(round(step * i)) for i in range(count)]
          total = np.zeros(padded, dtype=np.float64); count = np.zeros(padded, dtype=np.float64)
          with torch.no_grad():
              for z in starts(padded[0]):
                  for y in starts(padded[1]):
                      for xx in starts(padded[2]):
                          window = torch.from_numpy(x[None, :, z:z + patch, y:y + patch, xx:xx + patch].copy())
                          out = net(window)
                          p = out[0, 1] if out.shape[1] == 2 else torch.sigmoid(out[0, 0])
                          total[z:z + patch, y:y + patch, xx:xx + patch] += p.double().numpy()
                          count[z:z + patch, y:y + patch, xx:xx + patch] += 1
          (total / count)[lo[0]:lo[0] + d, lo[1]:lo[1] + h, lo[2]:lo[2] + w].astype('<f4').tofile(sys.argv[9])
      """;
  private static final int PATCH = 16;

  /** torch.jit.script reads the module's source, so the script runs from a file. */
  private static final String RUN_FILE = "import runpy, sys; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')";

  @TempDir static Path dir;
  private static Path data;
  private static Path card;
  private static Path script;

  @BeforeAll
  static void dataAndCard() throws Exception {
    OfflinePyTorch.engine();
    JniUtils.setNumThreads(1);
    script = Files.writeString(dir.resolve("torch_unet.py"), TORCH);
    data = dir.resolve("isles");
    SyntheticDataset synthetic = new SyntheticDataset(4, 0.25);
    for (int n = 1; n <= 2; n++) {
      synthetic.writeCase(data, n);
    }
    card = Files.writeString(dir.resolve("card.yaml"), """
        channels: [dwi, adc]
        spacing_mm: [3.0, 3.0, 3.0]
        normalization: nonzero_zscore
        patch_size: [16, 16, 16]
        output: sigmoid_logits
        """);
  }

  @Test
  void anImportedTorchScriptUNetPredictsLikeTorchsOwnSlidingWindowAndExportsBack() throws Exception {
    Path model = torchScript("unet", "plain");
    Path run = dir.resolve("runs/imported");
    CliRun imported = isles("import", "--torchscript", model.toString(), "--card", card.toString(), "--out", run.toString());
    assertEquals(0, imported.exitCode(), imported.err());
    assertTrue(imported.out().contains("imported 1 models into " + run + ": imported/unet"), imported.out());

    Path out = dir.resolve("probs");
    CliRun predicted = isles("predict", "--run", run.toString(), "--input", data.toString(), "--out", out.toString(),
        "--cases", "all", "--threads", "1");
    assertEquals(0, predicted.exitCode(), predicted.err());
    assertEquals(List.of("imported/unet"), Json.read(out.resolve("prediction.json"), Map.class).get("models"));

    double largest = 0;
    for (CaseRecord record : CaseDiscovery.discover(data)) {
      Volume expected = torchSlidingWindow(model, record);
      Volume actual = Nifti.readVolume(RunLayout.probabilities(out, record.getCaseId()));
      largest = Math.max(largest, maxDifference(expected, actual, record.getCaseId()));
    }
    System.out.printf("imported TorchScript via isles predict vs torch's sliding window: max |dp| = %.2e%n", largest);

    Path exported = dir.resolve("exported");
    CliRun export = isles("export", "--run", run.toString(), "--out", exported.toString(), "--format", "torchscript");
    assertEquals(0, export.exitCode(), export.err());
    Path back = dir.resolve("runs/back");
    assertEquals(0, isles("import", "--torchscript", exported.resolve("imported_unet.pt").toString(), "--card",
        exported.resolve(ModelCard.FILE).toString(), "--out", back.toString()).exitCode());
    Path backOut = dir.resolve("probs-back");
    assertEquals(0, isles("predict", "--run", back.toString(), "--input", data.toString(), "--out", backOut.toString(),
        "--cases", "all", "--threads", "1").exitCode());
    for (CaseRecord record : CaseDiscovery.discover(data)) {
      Volume first = Nifti.readVolume(RunLayout.probabilities(out, record.getCaseId()));
      Volume again = Nifti.readVolume(RunLayout.probabilities(backOut, record.getCaseId()));
      assertEquals(0, maxDifference(first, again, record.getCaseId()), 0, "the round trip changes nothing");
    }
  }

  @Test
  void aTwoChannelModelReadsItsLesionChannelAndMayJoinAnEnsembleOfTheSamePreprocessing() throws Exception {
    Path softmax = torchScript("softmax", "softmax_probabilities");
    Path probabilitiesCard = Files.writeString(dir.resolve("softmax.yaml"), Files.readString(card)
        .replace("output: sigmoid_logits", "output: probabilities\noutput_channels: 2\nlesion_channel: 1"));
    Path run = dir.resolve("runs/ensemble");
    assertEquals(0, isles("import", "--torchscript", softmax.toString(), "--card", probabilitiesCard.toString(),
        "--out", run.toString()).exitCode());
    Path plain = torchScript("plain", "plain");
    CliRun joined = isles("import", "--torchscript", plain.toString(), "--card", card.toString(), "--out", run.toString());
    assertEquals(0, joined.exitCode(), joined.err());

    Path otherSpacing = Files.writeString(dir.resolve("2mm.yaml"), Files.readString(card).replace("3.0", "2.0"));
    Path third = torchScript("third", "plain");
    CliRun refused = isles("import", "--torchscript", third.toString(), "--card", otherSpacing.toString(), "--out", run.toString());
    assertEquals(2, refused.exitCode());
    assertTrue(refused.err().contains("preprocesses with spacing [3.0, 3.0, 3.0] mm") && refused.err().contains(
        "the card says spacing [2.0, 2.0, 2.0] mm"), refused.err());
    assertFalse(Files.exists(ModelFolder.importedDir(run, "third")));

    Path out = dir.resolve("ensemble-probs");
    assertEquals(0, isles("predict", "--run", run.toString(), "--input", data.toString(), "--out", out.toString(),
        "--cases", "all", "--threads", "1").exitCode());
    CaseRecord record = CaseDiscovery.discover(data).get(0);
    Volume expectedSoftmax = torchSlidingWindow(softmax, record);
    Volume expectedPlain = torchSlidingWindow(plain, record);
    float[] mean = new float[expectedPlain.data().length];
    for (int n = 0; n < mean.length; n++) {
      mean[n] = (expectedSoftmax.data()[n] + expectedPlain.data()[n]) / 2;
    }
    maxDifference(new Volume(expectedPlain.grid(), mean),
        Nifti.readVolume(RunLayout.probabilities(out, record.getCaseId())), record.getCaseId());
  }

  @Test
  void aModelThatDoesNotFitItsCardAndACorruptFileAreOneLineErrorsBeforeAnyCase() throws Exception {
    Path run = dir.resolve("runs/refused");
    Path two = torchScript("two", "two_outputs");
    CliRun mismatch = isles("import", "--torchscript", two.toString(), "--card", card.toString(), "--out", run.toString());
    assertEquals(2, mismatch.exitCode());
    assertTrue(mismatch.err().contains("cannot import " + two + ": model imported/two (")
        && mismatch.err().contains(") does not fit its card: ")
        && mismatch.err().contains("the model returned (1, 2, 16, 16, 16)"), mismatch.err());
    assertEquals(1, mismatch.err().strip().lines().count(), mismatch.err());

    Path corrupt = Files.write(dir.resolve("corrupt.pt"), new byte[] {'P', 'K', 3, 4, 0, 0, 1, 2, 3});
    CliRun broken = isles("import", "--torchscript", corrupt.toString(), "--card", card.toString(), "--out", run.toString());
    assertEquals(2, broken.exitCode());
    assertTrue(broken.err().contains("cannot import " + corrupt + ": cannot load TorchScript model "), broken.err());
    assertEquals(1, broken.err().strip().lines().count(), broken.err());
    assertFalse(Files.exists(run.resolve("imported/corrupt")), "a refused model is not left in the run");

    Path badCard = Files.writeString(dir.resolve("bad.yaml"), Files.readString(card).replace("sigmoid_logits", "relu"));
    CliRun unknownOutput = isles("import", "--torchscript", corrupt.toString(), "--card", badCard.toString(), "--out",
        run.toString());
    assertEquals(2, unknownOutput.exitCode());
    assertTrue(unknownOutput.err().contains("bad model card " + badCard + ": output must be one of [sigmoid_logits, "
        + "softmax_logits, probabilities], got 'relu'"), unknownOutput.err());
  }

  private static Path torchScript(String name, String variant) {
    Path file = dir.resolve(name + ".pt");
    PythonOracle.run(RUN_FILE, script.toString(), "make", file.toString(), variant);
    return file;
  }

  /** Torch's sliding window on the case as predict preprocesses it, mapped back to the DWI grid like predict. */
  private static Volume torchSlidingWindow(Path model, CaseRecord record) throws Exception {
    CasePreprocessor.PreparedCase prepared = new CasePreprocessor(ModelCard.read(card).preprocessing())
        .prepare(CaseRecord.newBuilder(record).setMaskPath(null).build());
    Grid grid = prepared.channels().get(0).grid();
    int voxels = grid.size();
    float[] image = new float[2 * voxels];
    for (int c = 0; c < 2; c++) {
      System.arraycopy(prepared.channels().get(c).data(), 0, image, c * voxels, voxels);
    }
    Path in = dir.resolve("image.f32");
    Path out = dir.resolve("torch.f32");
    PythonOracle.writeFloats(in, image);
    PythonOracle.run(RUN_FILE, script.toString(), "slide", model.toString(), in.toString(), "2", "" + grid.nz(), "" + grid.ny(), "" + grid.nx(),
        "" + PATCH, out.toString());
    return InverseMapping.of(prepared.record()).toOriginal(new Volume(grid, PythonOracle.readFloats(out)));
  }

  private static double maxDifference(Volume expected, Volume actual, String caseId) {
    assertEquals(expected.data().length, actual.data().length, caseId);
    double largest = 0;
    for (int n = 0; n < expected.data().length; n++) {
      largest = Math.max(largest, Math.abs(expected.data()[n] - actual.data()[n]));
    }
    assertTrue(largest < 1e-4, caseId + ": max |dp| = " + largest);
    return largest;
  }
}

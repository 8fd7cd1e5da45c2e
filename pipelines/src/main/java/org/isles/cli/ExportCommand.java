package org.isles.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.isles.model.interop.OnnxExport;
import org.isles.model.interop.RunExport;
import org.isles.model.run.TrainedRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Export a run's models so other tools can run them: OUT/<model>.onnx (.pt, .safetensors) per model and "
          + "OUT/card.yaml, which isles import reads back.",
      "ONNX: IR " + OnnxExport.IR_VERSION + ", opset " + OnnxExport.OPSET
          + ", input 'image' (N, C, D, H, W), output 'logits' (N, 1, D, H, W).",
      "TorchScript: only imported TorchScript models (no Java library writes TorchScript faithfully).",
      "Safetensors: the F32 parameters of networks trained here, named and laid out as the state_dict of the "
          + "torch.nn twin of our U-Net (stem.J.0.weight conv, stem.J.1.weight/bias norm, downs.L.1.J.*, "
          + "ups.I.up.* as ConvTranspose3d, ups.I.convs.J.*, head.*); the card is also in __metadata__ as "
          + OnnxExport.CARD_KEY + "."
    })
final class ExportCommand implements Callable<Integer> {
  @Option(names = "--run", required = true, description = "Run directory (runs/NAME).")
  Path run;

  @Option(names = "--out", required = true, description = "Directory to write the models and card.yaml to.")
  Path out;

  @Option(names = "--format", defaultValue = "onnx", description = "onnx (default), torchscript or safetensors.")
  String format;

  @Option(names = "--models", split = ",", description = "Models to export (default: every model of the run).")
  List<String> models;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    OptionChecks.of(spec).outputDirectory("--out", out);
    RunExport.Format exportFormat = RunExport.Format.parse(format);
    TrainedRun trainedRun = TrainedRun.open(run);
    List<String> ids = models == null || models.isEmpty() ? trainedRun.modelIds() : models;
    List<Path> written = RunExport.export(trainedRun, ids, exportFormat, out);
    System.out.printf("exported %d models of %s to %s (%s, with card.yaml)%n", written.size(), trainedRun.dir(), out,
        format);
    return 0;
  }
}

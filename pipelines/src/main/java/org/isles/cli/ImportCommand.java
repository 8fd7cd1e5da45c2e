package org.isles.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import org.isles.model.interop.ModelImport;
import org.isles.model.run.ModelCard;
import org.isles.model.run.RunModel;
import org.isles.model.run.TrainedRun;
import org.isles.pipelines.RunLayout;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Import models trained elsewhere (TorchScript, or ONNX as isles export writes it) with a model card, into a run",
      "that predict, evaluate and run use like a trained one: OUT/imported/NAME/{model.pt|model.onnx, card.yaml}.",
      "Into an existing run only when the card's preprocessing is the run's, so its models can form one ensemble.",
      "Each model is loaded and one zero window is passed through it before anything is written."
    })
final class ImportCommand implements Callable<Integer> {
  @ArgGroup(exclusive = true, multiplicity = "1")
  Models models;

  static final class Models {
    @Option(names = "--torchscript", arity = "1..*", description = "TorchScript files (torch.jit.script/trace, then save).")
    List<Path> torchscript;

    @Option(names = "--onnx", arity = "1..*", description = "ONNX files (e.g. from isles export).")
    List<Path> onnx;
  }

  @Option(names = "--card", required = true, description = "Model card (YAML) stating the models' inputs, preprocessing, patch and output.")
  Path card;

  @Option(names = "--out", required = true, description = "Run directory to create or add to (runs/NAME).")
  Path out;

  @Option(names = "--splits", description = "A splits JSON to keep with the run, so predict --cases test knows its test cases.")
  Path splits;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    OptionChecks.of(spec).outputDirectory("--out", out);
    ModelCard modelCard = ModelCard.read(card);
    if (splits != null && !Files.isRegularFile(splits)) {
      throw new IllegalArgumentException("--splits " + splits + " does not exist");
    }
    boolean torchscript = models.torchscript != null;
    List<String> ids = ModelImport.importModels(torchscript ? models.torchscript : models.onnx,
        torchscript ? RunModel.Format.TORCHSCRIPT : RunModel.Format.ONNX, modelCard, out);
    if (splits != null) {
      TrainedRun.testCasesOf(splits);
      try {
        Files.copy(splits, RunLayout.runSplits(out), StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot copy " + splits + " into " + out + ": " + e.getMessage(), e);
      }
    }
    System.out.printf("imported %d models into %s: %s%n", ids.size(), out, String.join(", ", ids));
    return 0;
  }
}

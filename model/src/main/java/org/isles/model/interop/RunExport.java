package org.isles.model.interop;

import ai.djl.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.isles.io.AtomicFiles;
import org.isles.model.inference.ModelEnsemble;
import org.isles.model.run.ModelCard;
import org.isles.model.run.RunModel;
import org.isles.model.run.TrainedRun;
import org.isles.model.unet.UNet3d;

/**
 * Writes models of a run so other tools can run them: {@code DIR/<model>.<ext>} per model
 * ({@code fold_0/seed_1} becomes {@code fold_0_seed_1}) and {@code DIR/card.yaml}, the card they
 * share, so {@code isles import} can read the export back.
 *
 * <p>ONNX: networks trained here are written by {@link OnnxExport}; imported ONNX models are copied.
 * Safetensors: the parameters of networks trained here under torch state_dict names
 * ({@link SafetensorsExport}); imported models have no parameters of ours, so they are refused.
 * TorchScript: imported TorchScript models are copied; a network trained here cannot be written as
 * TorchScript faithfully from Java (TorchScript is torch's own serialised program, and neither
 * DJL nor any Java library writes one), so that is refused rather than approximated.
 */
public final class RunExport {
  /** What {@code isles export --format} accepts. */
  public enum Format {
    ONNX(".onnx"),
    TORCHSCRIPT(".pt"),
    SAFETENSORS(".safetensors");

    private final String extension;

    Format(String extension) {
      this.extension = extension;
    }

    public String extension() {
      return extension;
    }

    public static Format parse(String name) {
      try {
        return valueOf(name.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--format must be onnx, torchscript or safetensors, got '" + name + "'");
      }
    }
  }

  private RunExport() {}

  /** Exports {@code modelIds} of {@code run} into {@code outDir}; returns the written model files. */
  public static List<Path> export(TrainedRun run, List<String> modelIds, Format format, Path outDir) {
    List<RunModel> models = run.select(modelIds).stream().map(run::model).toList();
    ModelCard card = models.get(0).card();
    for (RunModel model : models) {
      if (!model.card().equals(card)) {
        throw new IllegalArgumentException("models " + models.get(0).id() + " and " + model.id()
            + " have different cards; export them separately with --models");
      }
      checkExportable(model, format);
    }
    try {
      Files.createDirectories(outDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + outDir + ": " + e.getMessage(), e);
    }
    List<Path> written = new ArrayList<>();
    for (RunModel model : models) {
      Path target = outDir.resolve(model.id().replace('/', '_') + format.extension());
      if (model.format() == RunModel.Format.DJL_PARAMETERS) {
        try (Model trained = ModelEnsemble.loadTrained(run.recipe(), model.file(), model.id())) {
          UNet3d network = (UNet3d) trained.getBlock();
          byte[] bytes = format == Format.SAFETENSORS
              ? SafetensorsExport.export(network, card.toYaml())
              : OnnxExport.export(network, model.id(), card.toYaml());
          AtomicFiles.writeBytes(target, bytes);
        }
      } else {
        copy(model.file(), target);
      }
      written.add(target);
    }
    card.write(outDir.resolve(ModelCard.FILE));
    return written;
  }

  private static void checkExportable(RunModel model, Format format) {
    boolean ok = switch (format) {
      case ONNX -> model.format() != RunModel.Format.TORCHSCRIPT;
      case TORCHSCRIPT -> model.format() == RunModel.Format.TORCHSCRIPT;
      case SAFETENSORS -> model.format() == RunModel.Format.DJL_PARAMETERS;
    };
    if (ok) {
      return;
    }
    if (format == Format.SAFETENSORS) {
      throw new IllegalArgumentException("model " + model.id() + " is imported " + model.format().name().toLowerCase(Locale.ROOT)
          + "; only networks trained here have parameters to write as safetensors; use --format "
          + (model.format() == RunModel.Format.TORCHSCRIPT ? "torchscript" : "onnx"));
    }
    if (format == Format.TORCHSCRIPT) {
      throw new IllegalArgumentException("model " + model.id() + " cannot be exported as TorchScript: no Java library "
          + "writes TorchScript faithfully (only imported TorchScript models are copied); use --format onnx");
    }
    throw new IllegalArgumentException("model " + model.id() + " is imported TorchScript; only torch converts it to ONNX "
        + "(torch.onnx.export); export it with --format torchscript");
  }

  private static void copy(Path from, Path to) {
    Path partial = to.resolveSibling(to.getFileName() + ".partial");
    try {
      Files.copy(from, partial, StandardCopyOption.REPLACE_EXISTING);
      Files.move(partial, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + from + " to " + to + ": " + e.getMessage(), e);
    }
  }
}

package org.isles.model.run;

import java.nio.file.Path;

/**
 * One model of a run as inference loads it.
 *
 * @param id the model's directory relative to the run, e.g. {@code fold_0/seed_1} or {@code imported/unet_a}
 * @param format how {@code file} stores the network
 * @param file the parameters (trained here) or the whole serialised network (imported)
 * @param card what the model expects and returns
 */
public record RunModel(String id, Format format, Path file, ModelCard card) {
  /** How a run stores a model. */
  public enum Format {
    /** DJL parameters of the run's {@link RunRecipe} network, trained here. */
    DJL_PARAMETERS(ModelFolder.PARAMETERS),
    /** A TorchScript module ({@code torch.jit.script} / {@code trace}, then {@code save}). */
    TORCHSCRIPT("model.pt"),
    /** An ONNX model. */
    ONNX("model.onnx");

    private final String fileName;

    Format(String fileName) {
      this.fileName = fileName;
    }

    /** The file name a run keeps a model of this format under. */
    public String fileName() {
      return fileName;
    }
  }
}

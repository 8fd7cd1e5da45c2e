package org.isles.model.inference;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.translate.NoopTranslator;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.isles.model.OfflinePyTorch;
import org.isles.model.run.ModelCard;
import org.isles.model.run.RunModel;
import org.isles.model.run.RunRecipe;
import org.isles.model.run.TrainedRun;
import org.isles.model.unet.UNet3d;
import org.isles.preprocess.PreprocessingSettings;
import org.isles.volume.Grid;

/**
 * Several models of one run (folds x seeds, and models imported from elsewhere) predicting as
 * one: the mean of their sliding-window probabilities. Averaging probabilities rather than logits
 * matches how windows and mirrorings are combined inside each model. Every model sees the same
 * preprocessed case (the run refuses an ensemble whose models disagree on preprocessing); each
 * reads its own input channels in its own order and slides its own patch, as its card says.
 *
 * <p>Imported models are checked when loaded: one forward pass of a zero window must return the
 * shape their card states, so a model that does not fit its card fails before any case runs.
 *
 * <p>The models are loaded once and may be shared by threads: every call makes its own
 * {@link Predictor}s, which are not thread-safe, over the shared parameters.
 */
public final class ModelEnsemble implements AutoCloseable {
  private final List<String> modelIds;
  private final List<Member> members;
  private final PreprocessingSettings preprocessing;

  /** One loaded model. */
  private interface Member extends AutoCloseable {
    ModelCard card();

    float[] predict(SlidingWindowInference slidingWindow, float[] image, int[] shape);

    @Override
    void close();
  }

  /** A model DJL runs on the PyTorch engine: a U-Net trained here or an imported TorchScript module. */
  private record DjlMember(Model model, ModelCard card) implements Member {
    @Override
    public float[] predict(SlidingWindowInference slidingWindow, float[] image, int[] shape) {
      try (Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator())) {
        return slidingWindow.predictProbabilities(predictor, image, shape);
      }
    }

    @Override
    public void close() {
      model.close();
    }
  }

  /** A network that owns its native resources: an ONNX Runtime session, or a U-Net trained here run in bf16. */
  private record ClosableMember(SlidingWindowInference.ClosableWindowNetwork network, ModelCard card) implements Member {
    @Override
    public float[] predict(SlidingWindowInference slidingWindow, float[] image, int[] shape) {
      return slidingWindow.predictProbabilities(network, image, shape);
    }

    @Override
    public void close() {
      network.close();
    }
  }

  private ModelEnsemble(List<String> modelIds, List<Member> members, PreprocessingSettings preprocessing) {
    this.modelIds = List.copyOf(modelIds);
    this.members = members;
    this.preprocessing = preprocessing;
  }

  /** Loads {@code modelIds} of {@code run} (see {@link TrainedRun#select}) in float32. */
  public static ModelEnsemble load(TrainedRun run, List<String> modelIds) {
    return load(run, modelIds, Precision.FP32);
  }

  /**
   * Loads {@code modelIds} of {@code run} to compute in {@code precision}, a resolved one
   * ({@link PrecisionChoice#resolved()}: fp32, or bf16 for networks trained here).
   */
  public static ModelEnsemble load(TrainedRun run, List<String> modelIds, Precision precision) {
    if (precision != Precision.FP32 && precision != Precision.BF16) {
      throw new IllegalArgumentException("an ensemble loads in fp32 or bf16, not " + precision.id() + " (resolve it first)");
    }
    if (modelIds.isEmpty()) {
      throw new IllegalArgumentException("an ensemble needs at least one model of run " + run.dir());
    }
    PreprocessingSettings preprocessing = run.preprocessing(run.select(modelIds));
    List<Member> members = new ArrayList<>();
    try {
      for (String id : modelIds) {
        RunModel model = run.model(id);
        if (precision == Precision.BF16 && model.format() != RunModel.Format.DJL_PARAMETERS) {
          throw new IllegalArgumentException("precision bf16 needs networks trained here; model " + id + " is " + model.format());
        }
        Member member = switch (model.format()) {
          case DJL_PARAMETERS -> trained(run.recipe(), model, precision);
          case TORCHSCRIPT -> new DjlMember(loadTorchScript(model.file()), model.card());
          case ONNX -> new ClosableMember(OnnxRuntimeNetwork.load(model.file(), 0), model.card());
        };
        members.add(member);
        if (model.format() != RunModel.Format.DJL_PARAMETERS) {
          checkAgainstCard(member, model);
        }
      }
    } catch (RuntimeException e) {
      members.forEach(Member::close);
      throw e;
    }
    return new ModelEnsemble(modelIds, members, preprocessing);
  }

  public List<String> modelIds() {
    return modelIds;
  }

  /** The preprocessing every input of this ensemble goes through. */
  public PreprocessingSettings preprocessing() {
    return preprocessing;
  }

  /**
   * The models' mean foreground probability of every voxel.
   *
   * @param options how each model slides over the volume (its patch and output come from its card)
   * @param grid the volume's grid (for the left-right axis of flip TTA)
   * @param image channels x D x H x W values, W fastest, channels as {@link #preprocessing()} lists them
   * @param shape {C, D, H, W}
   */
  public float[] predictProbabilities(InferenceOptions options, Grid grid, float[] image, int[] shape) {
    float[] sum = null;
    for (Member member : members) {
      int[] channels = member.card().inputChannelIndices();
      int[] memberShape = {channels.length, shape[1], shape[2], shape[3]};
      float[] probabilities =
          member.predict(options.slidingWindow(member.card(), grid), selectChannels(image, shape, channels), memberShape);
      if (sum == null) {
        sum = probabilities;
      } else {
        for (int n = 0; n < sum.length; n++) {
          sum[n] += probabilities[n];
        }
      }
    }
    float count = members.size();
    for (int n = 0; n < sum.length; n++) {
      sum[n] /= count;
    }
    return sum;
  }

  @Override
  public void close() {
    members.forEach(Member::close);
  }

  /** The image as is when {@code channels} are 0..C-1, otherwise those channels in that order. */
  private static float[] selectChannels(float[] image, int[] shape, int[] channels) {
    boolean identity = channels.length == shape[0];
    for (int c = 0; identity && c < channels.length; c++) {
      identity = channels[c] == c;
    }
    if (identity) {
      return image;
    }
    int voxels = shape[1] * shape[2] * shape[3];
    float[] selected = new float[channels.length * voxels];
    for (int c = 0; c < channels.length; c++) {
      System.arraycopy(image, channels[c] * voxels, selected, c * voxels, voxels);
    }
    return selected;
  }

  private static Member trained(RunRecipe recipe, RunModel runModel, Precision precision) {
    Model model = loadTrained(recipe, runModel.file(), runModel.id());
    try {
      return precision == Precision.BF16
          ? new ClosableMember(Bfloat16Network.of(model), runModel.card())
          : new DjlMember(model, runModel.card());
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** A network of {@code recipe} with the parameters in {@code file}, as a DJL model (block {@link UNet3d}). */
  public static Model loadTrained(RunRecipe recipe, Path file, String name) {
    Model model = OfflinePyTorch.newModel("unet3d " + name);
    try {
      UNet3d network = recipe.network();
      model.setBlock(network);
      network.initialize(model.getNDManager(), DataType.FLOAT32, network.inputShape(1, recipe.windowShape()));
      loadParameters(file, model);
      return model;
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** A TorchScript file as a DJL model ({@code PtSymbolBlock}); nothing is downloaded. */
  public static Model loadTorchScript(Path file) {
    String name = file.getFileName().toString();
    if (!name.endsWith(".pt")) {
      throw new IllegalArgumentException("TorchScript model " + file + " must end in .pt");
    }
    Model model = OfflinePyTorch.newModel(name);
    try {
      model.load(file.toAbsolutePath().getParent(), name.substring(0, name.length() - 3));
      return model;
    } catch (IOException | MalformedModelException | RuntimeException e) {
      model.close();
      throw new IllegalArgumentException("cannot load TorchScript model " + file + ": " + OnnxRuntimeNetwork.firstLine(e.getMessage()), e);
    }
  }

  /** One zero window through the model; its output must be what the card says. */
  private static void checkAgainstCard(Member member, RunModel model) {
    ModelCard card = model.card();
    int[] window = card.windowShape();
    int[] shape = {card.channels().size(), window[0], window[1], window[2]};
    SlidingWindowInference probe = InferenceOptions.defaults().withWindowBatch(1)
        .slidingWindow(card, Grid.axisAligned(window[2], window[1], window[0], 1, 1, 1));
    try {
      member.predict(probe, new float[shape[0] * window[0] * window[1] * window[2]], shape);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("model " + model.id() + " (" + model.file() + ") does not fit its card: "
          + OnnxRuntimeNetwork.firstLine(e.getMessage()), e);
    }
  }

  private static void loadParameters(Path file, Model model) {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      model.getBlock().loadParameters(model.getNDManager(), new DataInputStream(in));
    } catch (IOException | MalformedModelException | RuntimeException e) {
      throw new IllegalArgumentException("cannot load network parameters from " + file + ": " + e.getMessage(), e);
    }
  }
}

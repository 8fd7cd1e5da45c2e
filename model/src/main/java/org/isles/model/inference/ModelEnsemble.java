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
import org.isles.model.run.RunRecipe;
import org.isles.model.run.TrainedRun;
import org.isles.model.unet.UNet3d;

/**
 * Several trained models of one run (folds x seeds) predicting as one: the mean of their
 * sliding-window probabilities. Averaging probabilities rather than logits matches how windows
 * and mirrorings are combined inside each model.
 *
 * <p>The models are loaded once and may be shared by threads: every call makes its own
 * {@link Predictor}s, which are not thread-safe, over the shared parameters.
 */
public final class ModelEnsemble implements AutoCloseable {
  private final List<String> modelIds;
  private final List<Model> models;

  private ModelEnsemble(List<String> modelIds, List<Model> models) {
    this.modelIds = List.copyOf(modelIds);
    this.models = models;
  }

  /** Loads {@code modelIds} of {@code run} (see {@link TrainedRun#select}). */
  public static ModelEnsemble load(TrainedRun run, List<String> modelIds) {
    if (modelIds.isEmpty()) {
      throw new IllegalArgumentException("an ensemble needs at least one model of run " + run.dir());
    }
    RunRecipe recipe = run.recipe();
    List<Model> models = new ArrayList<>();
    try {
      for (String id : run.select(modelIds)) {
        Model model = OfflinePyTorch.newModel("unet3d " + id);
        models.add(model);
        UNet3d network = recipe.network();
        model.setBlock(network);
        network.initialize(model.getNDManager(), DataType.FLOAT32, network.inputShape(1, recipe.windowShape()));
        loadParameters(run.parametersFile(id), model);
      }
    } catch (RuntimeException e) {
      models.forEach(Model::close);
      throw e;
    }
    return new ModelEnsemble(modelIds, models);
  }

  public List<String> modelIds() {
    return modelIds;
  }

  /**
   * The models' mean foreground probability of every voxel.
   *
   * @param image channels x D x H x W values, W fastest
   * @param shape {C, D, H, W}
   */
  public float[] predictProbabilities(SlidingWindowInference slidingWindow, float[] image, int[] shape) {
    float[] sum = null;
    for (Model model : models) {
      float[] probabilities;
      try (Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator())) {
        probabilities = slidingWindow.predictProbabilities(predictor, image, shape);
      }
      if (sum == null) {
        sum = probabilities;
      } else {
        for (int n = 0; n < sum.length; n++) {
          sum[n] += probabilities[n];
        }
      }
    }
    float count = models.size();
    for (int n = 0; n < sum.length; n++) {
      sum[n] /= count;
    }
    return sum;
  }

  @Override
  public void close() {
    models.forEach(Model::close);
  }

  private static void loadParameters(Path file, Model model) {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      model.getBlock().loadParameters(model.getNDManager(), new DataInputStream(in));
    } catch (IOException | MalformedModelException | RuntimeException e) {
      throw new IllegalArgumentException("cannot load network parameters from " + file + ": " + e.getMessage(), e);
    }
  }
}

package org.isles.model.training;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import java.util.List;
import org.isles.metrics.CaseEvaluator;
import org.isles.model.inference.ImportanceWeighting;
import org.isles.model.inference.InferenceOptions;
import org.isles.model.inference.SlidingWindowInference;
import org.isles.model.unet.UNet3d;
import org.isles.sampling.TrainingCase;
import org.isles.volume.Grid;
import org.isles.volume.Volume;

/**
 * Validation during training: whole volumes by Gaussian-weighted sliding-window inference, the
 * mask at probability >= {@value #THRESHOLD}, and the mean Dice over the validation cases. A case
 * without lesion scores 1 when nothing is predicted and 0 otherwise.
 */
public final class Validation {
  public static final double THRESHOLD = 0.5;

  private final SlidingWindowInference slidingWindow;

  /** {@code patchSize} is (x, y, z). */
  public Validation(int[] patchSize, double overlap) {
    slidingWindow = SlidingWindowInference.builder()
        .setPatchSize(UNet3d.networkAxes(patchSize))
        .optOverlap(overlap)
        .optWeighting(ImportanceWeighting.GAUSSIAN)
        .optWindowBatchSize(InferenceOptions.DEFAULT_WINDOW_BATCH)
        .build();
  }

  public double meanDice(Predictor<NDList, NDList> predictor, List<TrainingCase> cases) {
    if (cases.isEmpty()) {
      throw new IllegalArgumentException("no validation cases");
    }
    double sum = 0;
    for (TrainingCase validationCase : cases) {
      sum += dice(predictor, validationCase);
    }
    return sum / cases.size();
  }

  double dice(Predictor<NDList, NDList> predictor, TrainingCase validationCase) {
    Grid grid = validationCase.grid();
    int voxels = grid.nx() * grid.ny() * grid.nz();
    List<Volume> channels = validationCase.channels();
    float[] image = new float[channels.size() * voxels];
    for (int c = 0; c < channels.size(); c++) {
      System.arraycopy(channels.get(c).data(), 0, image, c * voxels, voxels);
    }
    float[] probabilities;
    try (Autograd inference = Autograd.paused()) {
      probabilities = slidingWindow.predictProbabilities(predictor, image, new int[] {channels.size(), grid.nz(), grid.ny(), grid.nx()});
    }
    float[] label = validationCase.label().data();
    boolean[] lesion = new boolean[voxels];
    for (int n = 0; n < voxels; n++) {
      lesion[n] = label[n] != 0f;
    }
    return CaseEvaluator.voxelCounts(probabilities, lesion, new double[] {THRESHOLD})[0].f1();
  }
}

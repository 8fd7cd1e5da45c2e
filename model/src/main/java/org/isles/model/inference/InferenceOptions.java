package org.isles.model.inference;

import java.io.Serializable;
import org.isles.model.run.ModelCard;
import org.isles.model.run.RunRecipe;
import org.isles.volume.Grid;

/**
 * How a run's models predict a volume; the patch comes from the run itself.
 *
 * @param overlap fraction of a window shared with its neighbour, in [0, 1)
 * @param weighting how voxels of overlapping windows are weighted
 * @param augmentation mirrorings averaged at test time
 * @param temperature logits are divided by this before the sigmoid (1: none)
 * @param windowBatchSize windows per forward pass
 */
public record InferenceOptions(double overlap, ImportanceWeighting weighting, TestTimeAugmentation augmentation,
    float temperature, int windowBatchSize) implements Serializable {
  /**
   * Two windows per pass: torch runs a batch-1 3-D convolution whose (N, C, D, H) product is at
   * most 20480 on its slow im2col kernel (e.g. 16 channels of a 32^3 patch), any larger batch on
   * oneDNN, which is several times faster.
   */
  public static final int DEFAULT_WINDOW_BATCH = 2;

  public InferenceOptions {
    if (!(overlap >= 0 && overlap < 1)) {
      throw new IllegalArgumentException("sliding-window overlap must be in [0, 1), got " + overlap);
    }
    if (!(temperature > 0) || Float.isInfinite(temperature)) {
      throw new IllegalArgumentException("temperature must be a positive number, got " + temperature);
    }
    if (windowBatchSize < 1) {
      throw new IllegalArgumentException("window batch size must be positive, got " + windowBatchSize);
    }
    if (weighting == null || augmentation == null) {
      throw new IllegalArgumentException("weighting and test-time augmentation must be set");
    }
  }

  /** Overlap 0.5, constant weighting, no test-time augmentation, no temperature. */
  public static InferenceOptions defaults() {
    return new InferenceOptions(SlidingWindowInference.DEFAULT_OVERLAP, ImportanceWeighting.CONSTANT,
        TestTimeAugmentation.NONE, 1f, DEFAULT_WINDOW_BATCH);
  }

  public InferenceOptions withAugmentation(TestTimeAugmentation tta) {
    return new InferenceOptions(overlap, weighting, tta, temperature, windowBatchSize);
  }

  public InferenceOptions withWindowBatch(int windows) {
    return new InferenceOptions(overlap, weighting, augmentation, temperature, windows);
  }

  public InferenceOptions withWeighting(ImportanceWeighting importance) {
    return new InferenceOptions(overlap, importance, augmentation, temperature, windowBatchSize);
  }

  /**
   * The sliding window over {@code recipe}'s patch with these options (validated there), for a
   * volume on {@code grid}: flip TTA mirrors the voxel axis closest to world left-right, so a
   * sagittal or coronal acquisition is flipped left-right too.
   */
  public SlidingWindowInference slidingWindow(RunRecipe recipe, Grid grid) {
    return slidingWindow(recipe.card(), grid);
  }

  /** As {@link #slidingWindow(RunRecipe, Grid)} for a model with {@code card}: its patch and its output. */
  public SlidingWindowInference slidingWindow(ModelCard card, Grid grid) {
    return SlidingWindowInference.builder()
        .setPatchSize(card.windowShape())
        .optOutput(card.output(), card.outputChannels(), card.lesionChannel())
        .optOverlap(overlap)
        .optWeighting(weighting)
        .optTestTimeAugmentation(augmentation)
        .optLeftRightAxis(leftRightBatchAxis(grid))
        .optTemperature(temperature)
        .optWindowBatchSize(windowBatchSize)
        .build();
  }

  /** Voxel axis x, y or z with the largest world-x (left-right) component, as a (N, C, D, H, W) batch axis. */
  static int leftRightBatchAxis(Grid grid) {
    int axis = 0;
    for (int c = 1; c < 3; c++) {
      if (Math.abs(grid.affine(0, c)) > Math.abs(grid.affine(0, axis))) {
        axis = c;
      }
    }
    return 4 - axis;
  }
}

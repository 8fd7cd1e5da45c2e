package org.isles.postprocess;

import java.io.Serializable;

/**
 * How {@link PostProcessor} cleans a thresholded probability map. Steps run in this order, each on
 * the components the previous one kept:
 *
 * <ol>
 *   <li>{@code minComponentVoxels}: drop components with fewer voxels (0 = off);
 *   <li>{@code keepLargest}: keep only the k largest components, ties to the earlier label in
 *       raster order (0 = off);
 *   <li>cc_score: keep a component only if its {@code componentScore} (max, 95th percentile or
 *       mean probability) is at least {@code componentScoreThreshold} ({@link ComponentScore#NONE}
 *       = off).
 * </ol>
 */
public record PostProcessingOptions(
    int minComponentVoxels, int keepLargest, ComponentScore componentScore, double componentScoreThreshold)
    implements Serializable {
  public static final PostProcessingOptions NONE = new PostProcessingOptions(0, 0, ComponentScore.NONE, 0.0);

  public PostProcessingOptions {
    if (minComponentVoxels < 0 || keepLargest < 0) {
      throw new IllegalArgumentException("min component size and keep-largest must be >= 0, got "
          + minComponentVoxels + " and " + keepLargest);
    }
    if (componentScore == null || Double.isNaN(componentScoreThreshold)) {
      throw new IllegalArgumentException("component score and its threshold must be set (use NONE to turn it off)");
    }
  }

  public PostProcessingOptions withMinComponentVoxels(int voxels) {
    return new PostProcessingOptions(voxels, keepLargest, componentScore, componentScoreThreshold);
  }

  public PostProcessingOptions withKeepLargest(int components) {
    return new PostProcessingOptions(minComponentVoxels, components, componentScore, componentScoreThreshold);
  }

  public PostProcessingOptions withComponentScore(ComponentScore score, double threshold) {
    return new PostProcessingOptions(minComponentVoxels, keepLargest, score, threshold);
  }

  /** In words, e.g. "min component size 10 voxels" or "cc_score max >= 0.8"; "no post-processing" for none. */
  public String description() {
    java.util.List<String> steps = new java.util.ArrayList<>();
    if (minComponentVoxels > 0) {
      steps.add("min component size " + minComponentVoxels + " voxels");
    }
    if (keepLargest > 0) {
      steps.add("largest " + keepLargest + " components");
    }
    if (componentScore != ComponentScore.NONE) {
      steps.add("cc_score " + componentScore.name().toLowerCase(java.util.Locale.ROOT) + " >= " + componentScoreThreshold);
    }
    return steps.isEmpty() ? "no post-processing" : String.join(", then ", steps);
  }

  /** True when no step is on, so the prediction is the thresholded map itself. */
  public boolean isIdentity() {
    return minComponentVoxels == 0 && keepLargest == 0 && componentScore == ComponentScore.NONE;
  }
}

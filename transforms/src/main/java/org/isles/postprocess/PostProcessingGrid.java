package org.isles.postprocess;

import java.util.ArrayList;
import java.util.List;

/**
 * The post-processing settings that selection on validation cases chooses among, simplest first:
 * none; a minimum component size; cc_score by maximum, 95th-percentile or mean probability at
 * several levels. Each entry is a {@link PostProcessingOptions}, run by the same {@link
 * PostProcessor} as {@code isles evaluate --min-size / --cc-score}. A tie in mean Dice goes to the
 * earlier entry: no step before one step, a smaller size or lower level before a larger one.
 */
public final class PostProcessingGrid {
  /** Minimum component sizes in voxels of the prediction's (original) grid. */
  public static final List<Integer> MIN_SIZES_VOXELS = List.of(5, 10, 20, 50, 100);
  public static final List<Double> MAX_PROBABILITY_LEVELS = List.of(0.6, 0.7, 0.8, 0.9);
  public static final List<Double> P95_PROBABILITY_LEVELS = List.of(0.5, 0.7, 0.9);
  public static final List<Double> MEAN_PROBABILITY_LEVELS = List.of(0.3, 0.5, 0.7);
  public static final List<PostProcessingOptions> CANDIDATES = candidates();
  public static final String RULE = "none; min component size " + MIN_SIZES_VOXELS + " voxels; cc_score max_prob "
      + MAX_PROBABILITY_LEVELS + ", p95_prob " + P95_PROBABILITY_LEVELS + ", mean_prob " + MEAN_PROBABILITY_LEVELS
      + "; each at every threshold of the sweep";

  private PostProcessingGrid() {}

  private static List<PostProcessingOptions> candidates() {
    List<PostProcessingOptions> grid = new ArrayList<>();
    grid.add(PostProcessingOptions.NONE);
    MIN_SIZES_VOXELS.forEach(size -> grid.add(PostProcessingOptions.NONE.withMinComponentVoxels(size)));
    MAX_PROBABILITY_LEVELS.forEach(level -> grid.add(PostProcessingOptions.NONE.withComponentScore(ComponentScore.MAX, level)));
    P95_PROBABILITY_LEVELS.forEach(level -> grid.add(PostProcessingOptions.NONE.withComponentScore(ComponentScore.P95, level)));
    MEAN_PROBABILITY_LEVELS.forEach(level -> grid.add(PostProcessingOptions.NONE.withComponentScore(ComponentScore.MEAN, level)));
    return List.copyOf(grid);
  }
}

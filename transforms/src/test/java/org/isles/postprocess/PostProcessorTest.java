package org.isles.postprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/**
 * One row of voxels with four components at threshold 0.5: A (5 voxels, p 0.6), B (3, 0.95),
 * C (2, 0.9), D (1, 0.99).
 */
class PostProcessorTest {
  private static final float[] ROW = {
    0.6f, 0.6f, 0.6f, 0.6f, 0.6f, 0, 0.95f, 0.95f, 0.95f, 0, 0.9f, 0.9f, 0, 0.99f, 0.2f
  };

  private static int[] labelsAfter(PostProcessingOptions options) {
    return PostProcessor.apply(ROW, ROW.length, 1, 1, 0.5, options).labels();
  }

  @Test
  void withoutOptionsEveryComponentStays() {
    assertArrayEquals(new int[] {1, 1, 1, 1, 1, 0, 2, 2, 2, 0, 3, 3, 0, 4, 0}, labelsAfter(PostProcessingOptions.NONE));
  }

  @Test
  void minimumSizeDropsSmallComponents() {
    assertArrayEquals(new int[] {1, 1, 1, 1, 1, 0, 2, 2, 2, 0, 0, 0, 0, 0, 0},
        labelsAfter(PostProcessingOptions.NONE.withMinComponentVoxels(3)));
  }

  @Test
  void keepLargestKeepsTheBiggest() {
    assertArrayEquals(new int[] {1, 1, 1, 1, 1, 0, 2, 2, 2, 0, 0, 0, 0, 0, 0},
        labelsAfter(PostProcessingOptions.NONE.withKeepLargest(2)));
  }

  @Test
  void componentScoreKeepsConfidentComponents() {
    assertArrayEquals(new int[] {0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 2, 2, 0, 3, 0},
        labelsAfter(PostProcessingOptions.NONE.withComponentScore(ComponentScore.MAX, 0.8)));
  }

  @Test
  void componentScoreRunsAfterKeepLargest() {
    // top-1 keeps A, whose max 0.6 then fails the score: nothing is left (the other order keeps B)
    assertArrayEquals(new int[ROW.length],
        labelsAfter(PostProcessingOptions.NONE.withKeepLargest(1).withComponentScore(ComponentScore.MAX, 0.8)));
  }

  @Test
  void keepLargestRunsAfterMinimumSize() {
    // min size 4 leaves A alone, so top-2 keeps only A
    assertArrayEquals(new int[] {1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
        labelsAfter(PostProcessingOptions.NONE.withMinComponentVoxels(4).withKeepLargest(2)));
  }

  @Test
  void keepLargestBreaksTiesByRasterOrder() {
    float[] twins = {0.9f, 0.9f, 0, 0.8f, 0.8f, 0, 0.7f, 0.7f, 0.7f};
    assertArrayEquals(new int[] {1, 1, 0, 0, 0, 0, 2, 2, 2},
        PostProcessor.apply(twins, twins.length, 1, 1, 0.5, PostProcessingOptions.NONE.withKeepLargest(2)).labels());
  }

  @Test
  void percentileAndMeanScoresFollowNumpy() {
    float[] ramp = {0.5f, 0.6f, 0.7f, 0.8f, 0.9f};
    // numpy.percentile([.5, .6, .7, .8, .9], 95) = 0.88, mean = 0.7
    PostProcessingOptions options = PostProcessingOptions.NONE;
    assertArrayEquals(new int[] {1, 1, 1, 1, 1}, scored(ramp, options.withComponentScore(ComponentScore.P95, 0.875)));
    assertArrayEquals(new int[5], scored(ramp, options.withComponentScore(ComponentScore.P95, 0.885)));
    assertArrayEquals(new int[] {1, 1, 1, 1, 1}, scored(ramp, options.withComponentScore(ComponentScore.MEAN, 0.69)));
    assertArrayEquals(new int[5], scored(ramp, options.withComponentScore(ComponentScore.MEAN, 0.71)));
  }

  @Test
  void thresholdIsComparedInFloatLikeNumpy() {
    // (float) 0.7 is just below 0.7: numpy's float32 comparison keeps a voxel of exactly 0.7f
    assertArrayEquals(new boolean[] {true, false}, PostProcessor.binarize(new float[] {0.7f, 0.69999f}, 0.7));
  }

  private static int[] scored(float[] probabilities, PostProcessingOptions options) {
    return PostProcessor.apply(probabilities, probabilities.length, 1, 1, 0.5, options).labels();
  }
}

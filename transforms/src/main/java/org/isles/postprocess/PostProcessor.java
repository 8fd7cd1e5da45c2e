package org.isles.postprocess;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.isles.components.ConnectedComponents;
import org.isles.stats.Percentile;

/**
 * Turns a probability map into a lesion prediction: voxels with probability {@code >= threshold}
 * (the threshold rounded to float first, as numpy compares a float32 array with a Python float),
 * then the {@link PostProcessingOptions} steps on its 26-connected components.
 */
public final class PostProcessor {
  private PostProcessor() {}

  public static boolean[] binarize(float[] probabilities, double threshold) {
    float cut = (float) threshold;
    boolean[] mask = new boolean[probabilities.length];
    for (int n = 0; n < probabilities.length; n++) {
      mask[n] = probabilities[n] >= cut;
    }
    return mask;
  }

  /** The kept components of the thresholded map; {@code mask()} of the result is the prediction. */
  public static ConnectedComponents apply(
      float[] probabilities, int nx, int ny, int nz, double threshold, PostProcessingOptions options) {
    ConnectedComponents components = ConnectedComponents.label(binarize(probabilities, threshold), nx, ny, nz);
    if (options.isIdentity()) {
      return components;
    }
    int count = components.count();
    boolean[] keep = new boolean[count + 1];
    for (int label = 1; label <= count; label++) {
      keep[label] = components.voxelCount(label) >= options.minComponentVoxels();
    }
    if (options.keepLargest() > 0) {
      keepLargest(components, keep, options.keepLargest());
    }
    if (options.componentScore() != ComponentScore.NONE) {
      double[] scores = scores(probabilities, components, options.componentScore());
      for (int label = 1; label <= count; label++) {
        keep[label] &= scores[label] >= options.componentScoreThreshold();
      }
    }
    return components.keep(keep);
  }

  private static void keepLargest(ConnectedComponents components, boolean[] keep, int largest) {
    int[] bySizeDescending = IntStream.rangeClosed(1, components.count())
        .filter(label -> keep[label])
        .boxed()
        .sorted(Comparator.comparingInt((Integer label) -> -components.voxelCount(label)))
        .mapToInt(Integer::intValue)
        .toArray();
    for (int rank = largest; rank < bySizeDescending.length; rank++) {
      keep[bySizeDescending[rank]] = false;
    }
  }

  /** The score of every component, indexed by label. */
  static double[] scores(float[] probabilities, ConnectedComponents components, ComponentScore score) {
    int count = components.count();
    int[] labels = components.labels();
    int[] start = new int[count + 2];
    for (int label = 1; label <= count; label++) {
      start[label + 1] = start[label] + components.voxelCount(label);
    }
    float[] grouped = new float[start[count + 1]];
    int[] filled = start.clone();
    for (int n = 0; n < labels.length; n++) {
      if (labels[n] != 0) {
        grouped[filled[labels[n]]++] = probabilities[n];
      }
    }
    double[] scores = new double[count + 1];
    for (int label = 1; label <= count; label++) {
      scores[label] = score(grouped, start[label], start[label + 1], score);
    }
    return scores;
  }

  private static double score(float[] values, int from, int to, ComponentScore score) {
    switch (score) {
      case MAX -> {
        float max = values[from];
        for (int n = from + 1; n < to; n++) {
          max = Math.max(max, values[n]);
        }
        return max;
      }
      case MEAN -> {
        double sum = 0;
        for (int n = from; n < to; n++) {
          sum += values[n];
        }
        return sum / (to - from);
      }
      case P95 -> {
        double[] sorted = new double[to - from];
        for (int n = from; n < to; n++) {
          sorted[n - from] = values[n];
        }
        Arrays.sort(sorted);
        return Percentile.ofSorted(sorted, 0, sorted.length, 0.95);
      }
      default -> throw new IllegalArgumentException("no score for " + score);
    }
  }
}

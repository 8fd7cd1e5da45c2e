package org.isles.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.isles.components.BoundingBox;
import org.isles.components.ConnectedComponents;
import org.isles.distance.EuclideanDistanceTransform;
import org.isles.postprocess.PostProcessingOptions;
import org.isles.postprocess.PostProcessor;

/**
 * Scores one case: a probability map at many thresholds, or a binary prediction, against its
 * ground truth ({@link CaseMetrics} has the definitions).
 *
 * <p>The work is cropped once to the box around the ground truth and everything predicted at the
 * lowest threshold, plus one voxel so that surfaces are the same as in the full volume. The ground
 * truth's components, surface and surface distance map are computed once per case; the
 * prediction's components and surface once per threshold; without post-processing the voxel
 * counts of all thresholds come from one pass over the probabilities.
 */
public final class CaseEvaluator {
  private CaseEvaluator() {}

  /**
   * @param thresholds ascending; a voxel is predicted when its probability is {@code >=} the
   *     threshold (see {@link PostProcessor#binarize})
   * @return one entry per threshold, in the same order
   */
  public static List<CaseMetrics> evaluate(float[] probabilities, boolean[] groundTruth, MaskGeometry geometry,
      double[] thresholds, PostProcessingOptions options) {
    geometry.checkSize(probabilities.length, "probability map");
    geometry.checkSize(groundTruth.length, "ground truth");
    checkAscending(thresholds);
    BoundingBox box = lesionBox(groundTruth, PostProcessor.binarize(probabilities, thresholds[0]), geometry);
    float[] boxProbabilities = box.crop(probabilities, geometry.nx(), geometry.ny());
    Truth truth = new Truth(box.crop(groundTruth, geometry.nx(), geometry.ny()), box, geometry);
    ConfusionCounts[] counts = options.isIdentity() ? voxelCounts(boxProbabilities, truth.mask, thresholds) : null;
    List<CaseMetrics> metrics = new ArrayList<>(thresholds.length);
    for (int t = 0; t < thresholds.length; t++) {
      ConnectedComponents predicted =
          PostProcessor.apply(boxProbabilities, box.nx(), box.ny(), box.nz(), thresholds[t], options);
      boolean[] predictedMask = predicted.mask();
      ConfusionCounts voxels = counts != null ? counts[t] : ConfusionCounts.ofMasks(truth.mask, predictedMask);
      metrics.add(truth.score(thresholds[t], voxels, predicted, predictedMask));
    }
    return metrics;
  }

  /** Scores a binary prediction; the result's threshold is NaN. */
  public static CaseMetrics evaluate(boolean[] groundTruth, boolean[] prediction, MaskGeometry geometry) {
    geometry.checkSize(prediction.length, "prediction");
    geometry.checkSize(groundTruth.length, "ground truth");
    BoundingBox box = lesionBox(groundTruth, prediction, geometry);
    Truth truth = new Truth(box.crop(groundTruth, geometry.nx(), geometry.ny()), box, geometry);
    boolean[] predictedMask = box.crop(prediction, geometry.nx(), geometry.ny());
    ConnectedComponents predicted = ConnectedComponents.label(predictedMask, box.nx(), box.ny(), box.nz());
    return truth.score(Double.NaN, ConfusionCounts.ofMasks(truth.mask, predictedMask), predicted, predictedMask);
  }

  /**
   * Voxel counts at every threshold from one pass: each voxel falls in the bin of the highest
   * threshold it reaches, and a threshold's predicted voxels are the bins at or above it.
   */
  public static ConfusionCounts[] voxelCounts(float[] probabilities, boolean[] groundTruth, double[] thresholds) {
    if (probabilities.length != groundTruth.length) {
      throw new IllegalArgumentException("probability map has " + probabilities.length
          + " voxels, ground truth " + groundTruth.length);
    }
    checkAscending(thresholds);
    float[] cuts = new float[thresholds.length];
    for (int t = 0; t < cuts.length; t++) {
      cuts[t] = (float) thresholds[t];
    }
    long[] reached = new long[cuts.length + 1];
    long[] reachedInTruth = new long[cuts.length + 1];
    long truthVoxels = 0;
    for (int n = 0; n < probabilities.length; n++) {
      int bin = probabilities[n] >= cuts[0] ? thresholdsReached(cuts, probabilities[n]) : 0;
      reached[bin]++;
      if (groundTruth[n]) {
        reachedInTruth[bin]++;
        truthVoxels++;
      }
    }
    ConfusionCounts[] counts = new ConfusionCounts[cuts.length];
    long predicted = 0, truePositives = 0;
    for (int t = cuts.length - 1; t >= 0; t--) {
      predicted += reached[t + 1];
      truePositives += reachedInTruth[t + 1];
      counts[t] = new ConfusionCounts(truePositives, predicted - truePositives, truthVoxels - truePositives);
    }
    return counts;
  }

  /** The number of cuts at or below {@code value}. */
  private static int thresholdsReached(float[] cuts, float value) {
    int low = 0, high = cuts.length;
    while (low < high) {
      int middle = (low + high) >>> 1;
      if (value >= cuts[middle]) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return low;
  }

  private static void checkAscending(double[] thresholds) {
    if (thresholds.length == 0) {
      throw new IllegalArgumentException("no thresholds given");
    }
    for (int t = 1; t < thresholds.length; t++) {
      if (!(thresholds[t] >= thresholds[t - 1])) {
        throw new IllegalArgumentException("thresholds must be ascending: " + Arrays.toString(thresholds));
      }
    }
  }

  /** The box around both masks plus one voxel, or the first voxel alone when both are empty. */
  private static BoundingBox lesionBox(boolean[] groundTruth, boolean[] prediction, MaskGeometry geometry) {
    int nx = geometry.nx(), ny = geometry.ny(), nz = geometry.nz();
    BoundingBox box = BoundingBox.of(groundTruth, nx, ny, nz).union(BoundingBox.of(prediction, nx, ny, nz));
    return box.isEmpty() ? new BoundingBox(0, 0, 0, 1, 1, 1) : box.expand(1, nx, ny, nz);
  }

  /** The ground truth inside the lesion box, with what every threshold reuses. */
  private static final class Truth {
    private final boolean[] mask;
    private final BoundingBox box;
    private final MaskGeometry geometry;
    private final ConnectedComponents components;
    private final int[] surfaceVoxels;
    /** Distance of every box voxel to the nearest ground-truth surface voxel; null without lesions. */
    private final double[] surfaceDistance;

    Truth(boolean[] mask, BoundingBox box, MaskGeometry geometry) {
      this.mask = mask;
      this.box = box;
      this.geometry = geometry;
      components = ConnectedComponents.label(mask, box.nx(), box.ny(), box.nz());
      boolean[] surface = Surface.of(mask, box.nx(), box.ny(), box.nz());
      surfaceVoxels = Surface.indices(surface);
      surfaceDistance = surfaceVoxels.length == 0 ? null
          : EuclideanDistanceTransform.distances(surface, box.nx(), box.ny(), box.nz(), geometry.spacing());
    }

    CaseMetrics score(double threshold, ConfusionCounts voxels, ConnectedComponents predicted, boolean[] predictedMask) {
      int[] truthLabels = components.labels();
      int[] predictedLabels = predicted.labels();
      boolean[] truthHit = new boolean[components.count() + 1];
      boolean[] predictionHits = new boolean[predicted.count() + 1];
      for (int n = 0; n < mask.length; n++) {
        if (mask[n] && predictedMask[n]) {
          truthHit[truthLabels[n]] = true;
          predictionHits[predictedLabels[n]] = true;
        }
      }
      int truePositives = countTrue(truthHit);
      ConfusionCounts lesions = new ConfusionCounts(truePositives,
          predicted.count() - countTrue(predictionHits), components.count() - truePositives);
      return new CaseMetrics(threshold, geometry.voxelVolumeMl(), voxels, components.count(), predicted.count(),
          lesions, boundaryDistances(predictedMask));
    }

    private BoundaryDistances boundaryDistances(boolean[] predictedMask) {
      boolean[] predictedSurface = Surface.of(predictedMask, box.nx(), box.ny(), box.nz());
      int[] predictedVoxels = Surface.indices(predictedSurface);
      if (surfaceDistance == null || predictedVoxels.length == 0) {
        return BoundaryDistances.UNDEFINED;
      }
      double[] predictionToTruth = new double[predictedVoxels.length];
      for (int v = 0; v < predictedVoxels.length; v++) {
        predictionToTruth[v] = surfaceDistance[predictedVoxels[v]];
      }
      double[] truthToPrediction = EuclideanDistanceTransform.distancesAt(
          predictedSurface, surfaceVoxels, box.nx(), box.ny(), box.nz(), geometry.spacing());
      return BoundaryDistances.fromDirected(predictionToTruth, truthToPrediction);
    }

    private static int countTrue(boolean[] flags) {
      int count = 0;
      for (boolean flag : flags) {
        if (flag) {
          count++;
        }
      }
      return count;
    }
  }
}

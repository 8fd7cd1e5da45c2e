package org.isles.metrics;

import java.util.Arrays;
import org.isles.distance.EuclideanDistanceTransform;
import org.isles.stats.Percentile;

/**
 * Symmetric boundary distances in mm between a prediction and a ground truth, as medpy computes
 * them: the distances from every {@link Surface} voxel of one mask to the nearest surface voxel
 * of the other, in both directions. HD is the larger directed maximum, HD95 the 95th percentile
 * (numpy, linear) of both directions' distances together, ASSD the mean of the two directed
 * means. All three are NaN when either mask is empty.
 */
public record BoundaryDistances(double hausdorffMm, double hausdorff95Mm, double assdMm) {
  public static final BoundaryDistances UNDEFINED = new BoundaryDistances(Double.NaN, Double.NaN, Double.NaN);

  /** Distances between two full masks of the given grid. */
  public static BoundaryDistances between(boolean[] groundTruth, boolean[] prediction, MaskGeometry geometry) {
    geometry.checkSize(groundTruth.length, "ground truth");
    geometry.checkSize(prediction.length, "prediction");
    int nx = geometry.nx(), ny = geometry.ny(), nz = geometry.nz();
    boolean[] truthSurface = Surface.of(groundTruth, nx, ny, nz);
    boolean[] predictedSurface = Surface.of(prediction, nx, ny, nz);
    int[] truthVoxels = Surface.indices(truthSurface);
    int[] predictedVoxels = Surface.indices(predictedSurface);
    if (truthVoxels.length == 0 || predictedVoxels.length == 0) {
      return UNDEFINED;
    }
    return fromDirected(
        EuclideanDistanceTransform.distancesAt(truthSurface, predictedVoxels, nx, ny, nz, geometry.spacing()),
        EuclideanDistanceTransform.distancesAt(predictedSurface, truthVoxels, nx, ny, nz, geometry.spacing()));
  }

  /** From the distances of the prediction's surface voxels to the truth's, and the reverse. */
  static BoundaryDistances fromDirected(double[] predictionToTruth, double[] truthToPrediction) {
    double[] all = new double[predictionToTruth.length + truthToPrediction.length];
    System.arraycopy(predictionToTruth, 0, all, 0, predictionToTruth.length);
    System.arraycopy(truthToPrediction, 0, all, predictionToTruth.length, truthToPrediction.length);
    Arrays.sort(all);
    double assd = (mean(predictionToTruth) + mean(truthToPrediction)) / 2;
    return new BoundaryDistances(all[all.length - 1], Percentile.ofSorted(all, 0, all.length, 0.95), assd);
  }

  private static double mean(double[] values) {
    double sum = 0;
    for (double value : values) {
      sum += value;
    }
    return sum / values.length;
  }
}

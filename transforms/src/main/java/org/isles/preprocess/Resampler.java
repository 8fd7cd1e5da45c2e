package org.isles.preprocess;

import org.isles.volume.Grid;
import org.isles.volume.Volume;

/**
 * Resamples a volume onto any target grid through world space: target voxel (i, j, k) reads the
 * source at continuous index {@code inv(A_source) * A_target * (i, j, k, 1)}. Because only the
 * two grids define the mapping, the same call resamples to a new spacing, crops, and maps a
 * prediction back onto the original grid. Values equal scipy.ndimage.map_coordinates at those
 * coordinates with {@code mode='mirror'} and, for {@link Interpolation#CUBIC_BSPLINE},
 * {@code order=3, prefilter=True}.
 *
 * <p>Target voxels beyond the source's field of view read the mirrored source, as scipy does; that
 * is right within the half voxel a spacing change adds at the border, but a cropped prediction must
 * be put back on its full grid with {@link CropBox#uncrop} before it is resampled to the original
 * grid, or the region outside the box would show reflections instead of background.
 */
public final class Resampler {
  /**
   * Source-index units per target voxel below which a matrix entry counts as zero: over a few
   * hundred voxels it moves a sample by under 1e-6 voxel.
   */
  static final double INDEX_TOLERANCE = 1e-9;

  private Resampler() {}

  public static Volume resample(Volume source, Grid target, Interpolation interpolation) {
    Grid sourceGrid = source.grid();
    double[] targetToSource = AffineMath.multiply(AffineMath.inverse(sourceGrid.affine()), target.affine());
    if (isIdentity(targetToSource) && sourceGrid.nx() == target.nx() && sourceGrid.ny() == target.ny()
        && sourceGrid.nz() == target.nz()) {
      // The spline through the voxels returns each voxel at its own centre, up to rounding.
      return new Volume(target, source.data().clone());
    }
    double[] values = interpolation == Interpolation.CUBIC_BSPLINE
        ? SplinePrefilter.coefficients(source)
        : asDoubles(source.data());
    float[] output = isAxisAligned(targetToSource)
        ? SeparableSampling.sample(values, sourceGrid, target, targetToSource, interpolation)
        : ObliqueSampling.sample(values, sourceGrid, target, targetToSource, interpolation);
    return new Volume(target, output);
  }

  private static boolean isIdentity(double[] m) {
    for (int n = 0; n < 12; n++) {
      double expected = n % 5 == 0 ? 1.0 : 0.0;
      if (Math.abs(m[n] - expected) > INDEX_TOLERANCE) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAxisAligned(double[] m) {
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        if (r != c && Math.abs(m[4 * r + c]) > INDEX_TOLERANCE) {
          return false;
        }
      }
    }
    return true;
  }

  private static double[] asDoubles(float[] data) {
    double[] values = new double[data.length];
    for (int n = 0; n < data.length; n++) {
      values[n] = data[n];
    }
    return values;
  }
}

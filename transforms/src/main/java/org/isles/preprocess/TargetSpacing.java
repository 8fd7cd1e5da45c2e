package org.isles.preprocess;

import java.util.Arrays;
import org.isles.volume.Grid;

/**
 * The voxel size a case is resampled to, and the target grid it implies.
 *
 * <p>The target grid keeps the source's axis directions and has exactly the requested spacing:
 * each axis is scaled by {@code s_out / s_in}, with {@code n_out = max(1, round(n_in * s_in /
 * s_out))} voxels centred on the source's field of view (it differs from the source's extent by at
 * most half an output voxel in total). Exact spacing is chosen over preserving the field of view
 * (scale {@code n_in / n_out}) so that every case shows the network the same physical voxel size it
 * was trained on and the recorded spacing is the real one. The target affine is the source affine
 * composed with that scaling and offset, so every target voxel centre lies exactly where the
 * resampler reads the source. Axes whose spacing already matches within {@value #SAME_SPACING_MM}
 * mm are left as they are, and a grid with no axis to change is returned unchanged.
 */
public sealed interface TargetSpacing permits TargetSpacing.Fixed, TargetSpacing.MaxZoom {
  double SAME_SPACING_MM = 1e-6;

  /** The voxel size per axis for a source with voxel sizes {@code sourceSpacing}. */
  double[] spacingFor(double[] sourceSpacing);

  /** The grid to resample {@code source} onto; refused when it would not fit one Java array. */
  default Grid gridFor(Grid source) {
    return withSpacing(source, spacingFor(source.spacing()));
  }

  /**
   * The shape {@link #gridFor} gives {@code source}, computed in {@code long} so that any header
   * (a few voxels of 36 mm resampled to 0.1 mm) yields a number to check rather than an overflow.
   */
  default long[] shapeFor(Grid source) {
    return shapeFor(source.shape(), source.spacing(), spacingFor(source.spacing()));
  }

  /** Voxels of a grid of this shape, saturating at {@link Long#MAX_VALUE}. */
  static long voxelCount(long[] shape) {
    long count = 1;
    for (long n : shape) {
      count = n != 0 && count > Long.MAX_VALUE / n ? Long.MAX_VALUE : count * n;
    }
    return count;
  }

  static TargetSpacing isotropic(double mm) {
    return new Fixed(new double[] {mm, mm, mm});
  }

  /** Only axes coarser than {@code maxMm} are resampled, to {@code maxMm}; none is down-sampled. */
  static TargetSpacing maxZoom(double maxMm) {
    return new MaxZoom(maxMm);
  }

  /** Every axis resampled to the given voxel size (x, y, z in voxel-axis order). */
  record Fixed(double[] spacing) implements TargetSpacing {
    public Fixed {
      if (spacing.length != 3) {
        throw new IllegalArgumentException("target spacing needs 3 values, got " + spacing.length);
      }
      for (double s : spacing) {
        requirePositive(s);
      }
      spacing = spacing.clone();
    }

    @Override
    public double[] spacing() {
      return spacing.clone();
    }

    @Override
    public double[] spacingFor(double[] sourceSpacing) {
      return spacing.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Fixed f && Arrays.equals(spacing, f.spacing);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(spacing);
    }

    @Override
    public String toString() {
      return "Fixed" + Arrays.toString(spacing);
    }
  }

  /** {@code spacing_out = min(spacing_in, maxMm)} per axis. */
  record MaxZoom(double maxMm) implements TargetSpacing {
    public MaxZoom {
      requirePositive(maxMm);
    }

    @Override
    public double[] spacingFor(double[] sourceSpacing) {
      double[] spacing = new double[3];
      for (int axis = 0; axis < 3; axis++) {
        spacing[axis] = Math.min(sourceSpacing[axis], maxMm);
      }
      return spacing;
    }
  }

  /** The grid over {@code source}'s field of view with voxel size {@code spacing} (see above). */
  static Grid withSpacing(Grid source, double[] spacing) {
    double[] sourceSpacing = source.spacing();
    int[] sourceShape = source.shape();
    long[] longShape = shapeFor(sourceShape, sourceSpacing, spacing);
    if (voxelCount(longShape) > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("target grid " + longShape[0] + "x" + longShape[1] + "x" + longShape[2]
          + " at " + Arrays.toString(spacing) + " mm from " + source + " has more voxels than a Java array holds");
    }
    int[] shape = sourceShape.clone();
    double[] scale = {1, 1, 1};
    double[] offset = new double[3];
    boolean changed = false;
    for (int axis = 0; axis < 3; axis++) {
      if (changes(sourceSpacing[axis], spacing[axis])) {
        changed = true;
        scale[axis] = spacing[axis] / sourceSpacing[axis];
        shape[axis] = (int) longShape[axis];
        offset[axis] = (sourceShape[axis] - 1) / 2.0 - scale[axis] * (shape[axis] - 1) / 2.0;
      }
    }
    if (!changed) {
      return source;
    }
    double[] a = source.affine();
    double[] affine = new double[16];
    for (int r = 0; r < 3; r++) {
      double translation = a[4 * r + 3];
      for (int c = 0; c < 3; c++) {
        affine[4 * r + c] = a[4 * r + c] * scale[c];
        translation += a[4 * r + c] * offset[c];
      }
      affine[4 * r + 3] = translation;
    }
    affine[15] = 1;
    return new Grid(shape[0], shape[1], shape[2], affine);
  }

  /** {@code n_out = max(1, round(n_in * s_in / s_out))} per changed axis (see above), without overflow. */
  private static long[] shapeFor(int[] sourceShape, double[] sourceSpacing, double[] spacing) {
    long[] shape = new long[3];
    for (int axis = 0; axis < 3; axis++) {
      requirePositive(spacing[axis]);
      // Math.round saturates at Long.MAX_VALUE, so an absurd ratio stays a (huge) number
      shape[axis] = changes(sourceSpacing[axis], spacing[axis])
          ? Math.max(1, Math.round(sourceShape[axis] / (spacing[axis] / sourceSpacing[axis])))
          : sourceShape[axis];
    }
    return shape;
  }

  private static boolean changes(double sourceMm, double targetMm) {
    return Math.abs(targetMm - sourceMm) > SAME_SPACING_MM;
  }

  private static void requirePositive(double mm) {
    if (!(mm > 0) || !Double.isFinite(mm)) {
      throw new IllegalArgumentException("target spacing must be a positive number of mm, got " + mm);
    }
  }
}

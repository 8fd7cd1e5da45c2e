package org.isles.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.isles.nifti.Nifti;
import org.isles.nifti.NiftiDatatype;
import org.isles.schemas.CaseRecord;
import org.isles.volume.Grid;
import org.isles.volume.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InverseMappingTest {
  private static final double BUMP_RADIUS_MM = 16;

  @TempDir Path dir;

  /**
   * Linear interpolation reproduces a linear function of world position exactly, so wherever an
   * original voxel falls inside the crop box (one processed voxel clear of its border), the
   * inverted value must equal the function at that voxel's world position.
   */
  @Test
  void recordedMappingOfAPreparedObliqueCaseReproducesLinearFieldsOnTheOriginalGrid() {
    Volume head = ball(TestVolumes.rotated(30, 26, 9, 0.9, 0.9, 4, 15), 9, 1);
    Nifti.write(dir.resolve("dwi.nii.gz"), head, NiftiDatatype.FLOAT32);
    Nifti.write(dir.resolve("adc.nii.gz"), head, NiftiDatatype.FLOAT32);
    CaseRecord record = CaseRecord.newBuilder()
        .setCaseId("sub-strokecase0001")
        .setDwiPath(dir.resolve("dwi.nii.gz").toString())
        .setAdcPath(dir.resolve("adc.nii.gz").toString())
        .build();
    CasePreprocessor.PreparedCase prepared = new CasePreprocessor(PreprocessingSettings.spacing(2, 2, 2)).prepare(record);
    InverseMapping mapping = InverseMapping.of(prepared.record());
    Grid processed = prepared.channels().get(0).grid();
    assertTrue(mapping.processedGrid().sameGrid(processed, 1e-9));

    Volume inverted = mapping.toOriginal(linearField(processed));

    Grid original = Nifti.readVolume(dir.resolve("dwi.nii.gz")).grid();
    assertArrayEquals(original.shape(), inverted.grid().shape());
    assertArrayEquals(original.affine(), inverted.grid().affine(), 0.0);
    double[] toProcessed = AffineMath.multiply(AffineMath.inverse(processed.affine()), original.affine());
    int checked = 0;
    for (int k = 0; k < original.nz(); k++) {
      for (int j = 0; j < original.ny(); j++) {
        for (int i = 0; i < original.nx(); i++) {
          double[] at = apply(toProcessed, i, j, k);
          if (inside(at, processed.shape())) {
            double[] world = original.toWorld(i, j, k);
            assertEquals(field(world), inverted.data()[original.index(i, j, k)], 1e-3, "voxel " + i + "," + j + "," + k);
            checked++;
          }
        }
      }
    }
    assertTrue(checked > original.size() / 4, "only " + checked + " voxels lie inside the crop box");
  }

  /** 1 mm flipped in-plane and 3 mm slices to 2 mm, cubic forward as in preprocessing, linear back. */
  @Test
  void processedThenInvertedSmoothVolumeReturnsToTheOriginalGridWithSmallError() {
    Grid original = new Grid(40, 36, 16, new double[] {-1, 0, 0, 20, 0, -1, 0, 18.5, 0, 0, 3, -30, 0, 0, 0, 1});
    Volume bump = bump(original, BUMP_RADIUS_MM);
    Grid resampled = TargetSpacing.isotropic(2).gridFor(original);
    Volume forward = Resampler.resample(bump, resampled, Interpolation.CUBIC_BSPLINE);
    CropBox crop = CropBox.aroundNonzero(above(forward, 1e-4f), 2);
    Volume processed = crop.crop(forward);

    Volume inverted = new InverseMapping(original, resampled, crop).toOriginal(processed);

    assertEquals(original, inverted.grid());
    double maxError = 0;
    for (int n = 0; n < original.size(); n++) {
      maxError = Math.max(maxError, Math.abs(inverted.data()[n] - bump.data()[n]));
    }
    // linear interpolation at h = 2 mm errs by up to h^2/8 max|f''| = 0.5 * 2 (pi / 2R)^2 ~ 1% per axis
    assertTrue(maxError < 0.03, "max error " + maxError);
    assertTrue(maxError > 0, "the round trip went through two resamplings");
  }

  @Test
  void valuesOutsideTheCropBoxBecomeZero() {
    Grid original = Grid.axisAligned(10, 10, 10, 1, 1, 1);
    CropBox crop = new CropBox(new int[] {2, 3, 4}, new int[] {5, 6, 7});
    Volume ones = new Volume(crop.crop(original), filled(27, 1f));
    Volume inverted = new InverseMapping(original, original, crop).toOriginal(ones);
    float sum = 0;
    for (float v : inverted.data()) {
      sum += v;
    }
    assertEquals(27f, sum);
    assertEquals(1f, inverted.data()[original.index(2, 3, 4)]);
    assertEquals(0f, inverted.data()[original.index(1, 3, 4)]);
  }

  /** cos^2(pi r / 2R) within R of the field of view's centre, 0 beyond: smooth, and 0 at the borders as in a head scan. */
  private static Volume bump(Grid grid, double radiusMm) {
    double[] centre = grid.toWorld((grid.nx() - 1) / 2.0, (grid.ny() - 1) / 2.0, (grid.nz() - 1) / 2.0);
    float[] data = new float[grid.size()];
    for (int k = 0; k < grid.nz(); k++) {
      for (int j = 0; j < grid.ny(); j++) {
        for (int i = 0; i < grid.nx(); i++) {
          double r = distance(grid.toWorld(i, j, k), centre);
          double c = Math.cos(Math.PI * r / (2 * radiusMm));
          data[grid.index(i, j, k)] = r >= radiusMm ? 0f : (float) (c * c);
        }
      }
    }
    return new Volume(grid, data);
  }

  private static double distance(double[] a, double[] b) {
    return Math.sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]));
  }

  /** exp(-r^2 / 2 sigma^2) about the field of view's centre (plus {@code floor}), 0 beyond 3 sigma. */
  private static Volume ball(Grid grid, double sigmaMm, float floor) {
    double[] centre = grid.toWorld((grid.nx() - 1) / 2.0, (grid.ny() - 1) / 2.0, (grid.nz() - 1) / 2.0);
    float[] data = new float[grid.size()];
    for (int k = 0; k < grid.nz(); k++) {
      for (int j = 0; j < grid.ny(); j++) {
        for (int i = 0; i < grid.nx(); i++) {
          double[] world = grid.toWorld(i, j, k);
          double r2 = 0;
          for (int axis = 0; axis < 3; axis++) {
            r2 += (world[axis] - centre[axis]) * (world[axis] - centre[axis]);
          }
          data[grid.index(i, j, k)] = r2 > 9 * sigmaMm * sigmaMm ? 0f : (float) (floor + Math.exp(-r2 / (2 * sigmaMm * sigmaMm)));
        }
      }
    }
    return new Volume(grid, data);
  }

  private static double field(double[] world) {
    return 0.3 * world[0] - 0.2 * world[1] + 0.1 * world[2] + 5;
  }

  private static Volume linearField(Grid grid) {
    float[] data = new float[grid.size()];
    for (int k = 0; k < grid.nz(); k++) {
      for (int j = 0; j < grid.ny(); j++) {
        for (int i = 0; i < grid.nx(); i++) {
          data[grid.index(i, j, k)] = (float) field(grid.toWorld(i, j, k));
        }
      }
    }
    return new Volume(grid, data);
  }

  private static double[] apply(double[] m, double i, double j, double k) {
    double[] out = new double[3];
    for (int r = 0; r < 3; r++) {
      out[r] = m[4 * r] * i + m[4 * r + 1] * j + m[4 * r + 2] * k + m[4 * r + 3];
    }
    return out;
  }

  private static boolean inside(double[] index, int[] shape) {
    for (int axis = 0; axis < 3; axis++) {
      if (index[axis] < 1 || index[axis] > shape[axis] - 2) {
        return false;
      }
    }
    return true;
  }

  private static Volume above(Volume volume, float level) {
    float[] mask = new float[volume.data().length];
    for (int n = 0; n < mask.length; n++) {
      mask[n] = volume.data()[n] > level ? 1f : 0f;
    }
    return new Volume(volume.grid(), mask);
  }

  private static float[] filled(int n, float value) {
    float[] data = new float[n];
    java.util.Arrays.fill(data, value);
    return data;
  }
}

package org.isles.cli;

import java.nio.file.Path;
import org.isles.nifti.Nifti;
import org.isles.nifti.NiftiDatatype;
import org.isles.volume.Grid;
import org.isles.volume.Volume;

/** Tiny evaluation cases on one 10 x 10 x 6 grid of 1 mm voxels, written as isles evaluate reads them. */
final class EvaluationCases {
  static final Grid GRID = Grid.axisAligned(10, 10, 6, 1, 1, 1);

  private EvaluationCases() {}

  /** GT/ID.nii.gz (uint8) and PROBS/ID.nii.gz (float32). */
  static void write(Path gt, Path probs, String id, Volume truth, Volume probabilities) {
    Nifti.write(gt.resolve(id + ".nii.gz"), truth, NiftiDatatype.UINT8);
    Nifti.write(probs.resolve(id + ".nii.gz"), probabilities, NiftiDatatype.FLOAT32);
  }

  /** A 2x2x2 cube of {@code value} from voxel (i, j, k). */
  static Volume cube(int i, int j, int k, float value) {
    Volume volume = Volume.zeros(GRID);
    for (int dk = 0; dk < 2; dk++) {
      for (int dj = 0; dj < 2; dj++) {
        for (int di = 0; di < 2; di++) {
          volume.data()[GRID.index(i + di, j + dj, k + dk)] = value;
        }
      }
    }
    return volume;
  }
}

package org.isles.cli;

import java.nio.file.Path;
import org.isles.nifti.Nifti;
import org.isles.nifti.NiftiDatatype;
import org.isles.volume.Grid;
import org.isles.volume.Volume;

/**
 * Five small cases with hand-computable metrics at thresholds 0.3 and 0.6, written as NIfTI:
 * ground truth to {@code gt/<id>.nii.gz} (uint8), predictions to {@code probs/<id>.nii.gz}.
 *
 * <pre>
 *        grid, voxel       GT                    prediction                              t=0.3 Dice  t=0.6 Dice  error at 0.6
 *   c1   1 mm, 0.001 mL    2x2 block (4 vox)     0.8 on one GT voxel, 0.2 on three       0.4         0.4         FN dominated
 *   c2   1 mm              empty                 0.7 on one voxel                        0           0           false alarm
 *   c3   1 mm              1 voxel               missing                                 0           0           missed lesion
 *   c4   2x2x4 mm, 0.016   3-voxel line          binary: the line + 4 touching voxels    0.6         0.6         FP dominated
 *   c5   1 mm              1 voxel               0.9 on it, 0.5 on three neighbours      0.4         1           none
 * </pre>
 *
 * Mean Dice 1.4 / 5 = 0.28 at 0.3 and 2.0 / 5 = 0.4 at 0.6, so 0.6 is best.
 */
final class CraftedCases {
  static final String THRESHOLDS = "0.3,0.6";
  static final Grid THIN = Grid.axisAligned(6, 6, 3, 1, 1, 1);
  static final Grid THICK = Grid.axisAligned(6, 6, 3, 2, 2, 4);

  private CraftedCases() {}

  static void write(Path gtDir, Path probsDir) {
    Volume gt1 = Volume.zeros(THIN);
    Volume p1 = Volume.zeros(THIN);
    set(gt1, 1, 1, 1, 1, 2, 1, 1, 1, 2, 1, 2, 2, 1);
    set(p1, 0.8f, 1, 1, 1);
    set(p1, 0.2f, 2, 1, 1, 1, 2, 1, 2, 2, 1);
    writePair(gtDir, probsDir, "c1", gt1, p1);

    Volume p2 = Volume.zeros(THIN);
    set(p2, 0.7f, 4, 4, 2);
    writePair(gtDir, probsDir, "c2", Volume.zeros(THIN), p2);

    Volume gt3 = Volume.zeros(THIN);
    set(gt3, 1, 3, 3, 1);
    Nifti.write(gtDir.resolve("c3.nii.gz"), gt3, NiftiDatatype.UINT8);

    Volume gt4 = Volume.zeros(THICK);
    Volume p4 = Volume.zeros(THICK);
    set(gt4, 1, 1, 2, 1, 2, 2, 1, 3, 2, 1);
    set(p4, 1, 1, 2, 1, 2, 2, 1, 3, 2, 1, 1, 3, 1, 2, 3, 1, 3, 3, 1, 4, 2, 1);
    Nifti.write(gtDir.resolve("c4.nii.gz"), gt4, NiftiDatatype.UINT8);
    Nifti.write(probsDir.resolve("c4.nii.gz"), p4, NiftiDatatype.UINT8);

    Volume gt5 = Volume.zeros(THIN);
    Volume p5 = Volume.zeros(THIN);
    set(gt5, 1, 2, 2, 2);
    set(p5, 0.9f, 2, 2, 2);
    set(p5, 0.5f, 3, 2, 2, 2, 3, 2, 1, 2, 2);
    writePair(gtDir, probsDir, "c5", gt5, p5);
  }

  static void writePair(Path gtDir, Path probsDir, String id, Volume gt, Volume probabilities) {
    Nifti.write(gtDir.resolve(id + ".nii.gz"), gt, NiftiDatatype.UINT8);
    Nifti.write(probsDir.resolve(id + ".nii.gz"), probabilities, NiftiDatatype.FLOAT32);
  }

  /** Sets the voxels (i, j, k) listed as consecutive triples to {@code value}. */
  static void set(Volume volume, float value, int... ijk) {
    for (int n = 0; n < ijk.length; n += 3) {
      volume.data()[volume.grid().index(ijk[n], ijk[n + 1], ijk[n + 2])] = value;
    }
  }
}

package org.isles.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.isles.nifti.Nifti;
import org.isles.nifti.NiftiDatatype;
import org.isles.postprocess.ComponentScore;
import org.isles.schemas.CaseEvaluation;
import org.isles.schemas.ThresholdMetrics;
import org.isles.testing.PythonOracle;
import org.isles.volume.Grid;
import org.isles.volume.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A case scored from its NIfTI files against the ISLES 2022 challenge's way of doing it: nibabel
 * reads both files, the voxel volume is the product of the header's zooms, lesions are
 * 26-connected scipy components.
 */
class CaseScorerOracleTest {
  private static final double[] THRESHOLDS = {0.2, 0.5, 0.8};

  private static final String ISLES_2022 = """
      import sys, numpy as np, nibabel as nib
      from scipy import ndimage
      gt_img, prob_img = nib.load(sys.argv[1]), nib.load(sys.argv[2])
      voxel_ml = np.prod(gt_img.header.get_zooms()) / 1000
      g = gt_img.get_fdata() != 0
      prob = np.asarray(prob_img.dataobj, dtype=np.float32)
      full = np.ones((3, 3, 3))
      lg, ng = ndimage.label(g, full)
      for t in sys.argv[3].split(','):
          p = prob >= np.float32(float(t))
          lp, npred = ndimage.label(p, full)
          inter = g & p
          s = g.sum() + p.sum()
          dice = 1.0 if s == 0 else 2 * inter.sum() / s
          tp = len(np.unique(lg[inter]))
          fp = npred - len(np.unique(lp[inter]))
          fn = ng - tp
          f1 = 1.0 if tp + fp + fn == 0 else tp / (tp + (fp + fn) / 2)
          avd = abs(g.sum() * voxel_ml - p.sum() * voxel_ml)
          print(dice, avd, abs(ng - npred), f1, tp, fp, fn)
      """;

  @Test
  void agreesWithTheChallengeCodeOnAnAnisotropicCase(@TempDir Path dir) {
    // Flipped x axis and thick slices, as in many ISLES headers.
    Grid grid = new Grid(24, 20, 12, new double[] {-0.9, 0, 0, 40, 0, 1.1, 0, -20, 0, 0, 3.0, 5, 0, 0, 0, 1});
    SplittableRandom random = new SplittableRandom(2022);
    Volume truth = Volume.zeros(grid);
    Volume probabilities = Volume.zeros(grid);
    for (int blob = 0; blob < 5; blob++) {
      int ci = random.nextInt(2, 22), cj = random.nextInt(2, 18), ck = random.nextInt(1, 11);
      int radius = random.nextInt(1, 4);
      for (int k = 0; k < grid.nz(); k++) {
        for (int j = 0; j < grid.ny(); j++) {
          for (int i = 0; i < grid.nx(); i++) {
            if (Math.abs(i - ci) + Math.abs(j - cj) + 2 * Math.abs(k - ck) <= radius) {
              truth.data()[grid.index(i, j, k)] = 1;
            }
          }
        }
      }
    }
    for (int n = 0; n < grid.size(); n++) {
      float signal = truth.data()[n] != 0 ? 0.55f : 0f;
      probabilities.data()[n] = Math.min(1f, signal + (float) Math.pow(random.nextDouble(), 6));
    }
    Path truthFile = dir.resolve("case_gt.nii.gz");
    Path probabilityFile = dir.resolve("case.nii.gz");
    Nifti.write(truthFile, truth, NiftiDatatype.UINT8);
    Nifti.write(probabilityFile, probabilities, NiftiDatatype.FLOAT32);

    EvaluationRules rules = new EvaluationRules(false, THRESHOLDS, 0, 0, ComponentScore.NONE, 0, new double[] {1, 10}, 3.0);
    CaseEvaluation evaluation = new CaseScorer(rules).score(new CasePair("case", truthFile.toString(), probabilityFile.toString()));

    String[] lines = PythonOracle.run(ISLES_2022, truthFile.toString(), probabilityFile.toString(), "0.2,0.5,0.8").trim().split("\n");
    assertEquals(3.0, evaluation.getSliceThicknessMm(), 1e-6);
    for (int t = 0; t < THRESHOLDS.length; t++) {
      String[] expected = lines[t].trim().split("\\s+");
      ThresholdMetrics m = evaluation.getThresholds().get(t);
      String at = "threshold " + THRESHOLDS[t];
      assertEquals(Double.parseDouble(expected[0]), m.getDice(), 1e-12, at);
      // The challenge multiplies the float32 zooms in float32; this code multiplies them in double.
      double volumeDifference = Double.parseDouble(expected[1]);
      assertEquals(volumeDifference, Math.abs(m.getVolumeDiffMl()), 1e-6 * volumeDifference, at);
      assertEquals(Double.parseDouble(expected[2]), Math.abs(m.getPredLesions() - evaluation.getGtLesions()), 0.0, at);
      assertEquals(Double.parseDouble(expected[3]), m.getLesionF1(), 1e-12, at);
      assertEquals(Integer.parseInt(expected[4]), m.getLesionTp(), at);
      assertEquals(Integer.parseInt(expected[5]), m.getLesionFp(), at);
      assertEquals(Integer.parseInt(expected[6]), m.getLesionFn(), at);
    }
  }
}

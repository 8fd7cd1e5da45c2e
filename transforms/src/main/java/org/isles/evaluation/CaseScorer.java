package org.isles.evaluation;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.isles.dataset.CaseInputException;
import org.isles.metrics.CalibrationBins;
import org.isles.metrics.CaseEvaluator;
import org.isles.metrics.CaseMetrics;
import org.isles.metrics.MaskGeometry;
import org.isles.nifti.Nifti;
import org.isles.nifti.NiftiImage;
import org.isles.nifti.NiftiException;
import org.isles.schemas.CalibrationCounts;
import org.isles.schemas.CaseEvaluation;
import org.isles.volume.Grid;
import org.isles.volume.Volume;

/**
 * Scores one case: reads its ground truth and probability map once, checks they belong together,
 * and computes every threshold of the sweep from that one read.
 *
 * <p>A ground truth that cannot be read fails the case (an exception). A prediction that cannot be
 * used (unreadable, truncated, more than one volume, off the ground truth's grid, NaN or outside
 * [0, 1]) does not: the case is scored as an empty prediction, as a missing one is, and its record
 * carries the cause ({@code predictionError}), so a broken prediction never raises a mean by
 * leaving its case out (see {@link BrokenPredictionRule}).
 */
public final class CaseScorer {

  private final EvaluationRules rules;

  public CaseScorer(EvaluationRules rules) {
    this.rules = rules;
  }

  public CaseEvaluation score(CasePair pair) {
    NiftiImage truthImage = read(pair.groundTruthPath());
    Volume truth = truthImage.firstVolume();
    Grid grid = truth.grid();
    float[] probabilities = new float[grid.size()];
    String predictionError = null;
    if (!pair.predictionMissing()) {
      try {
        probabilities = probabilities(pair, grid);
      } catch (RuntimeException | OutOfMemoryError e) {
        // An out-of-memory read (a header claiming a huge image) frees what it allocated; the case goes on.
        predictionError = e.getMessage() == null ? e.toString() : e.getMessage();
      }
    }
    double[] spacing = grid.spacing();
    double[] pixdim = truthImage.header().pixdim();
    // The ISLES 2022 code takes the voxel volume from the header's pixdim, not from the affine.
    MaskGeometry geometry =
        new MaskGeometry(grid.nx(), grid.ny(), grid.nz(), spacing[0], spacing[1], spacing[2], pixdim[1] * pixdim[2] * pixdim[3] / 1000.0);
    boolean[] lesion = truth.nonzero();
    List<CaseMetrics> metrics = CaseEvaluator.evaluate(probabilities, lesion, geometry, rules.thresholds(), rules.postProcessing());
    double sliceThickness = Arrays.stream(spacing).max().orElseThrow();
    CaseEvaluation record =
        EvaluationRecords.toRecord(pair.caseId(), pair.groundTruthPath(), pair.predictionPath(), sliceThickness, metrics);
    record.setPredictionError(predictionError);
    // A missing or broken prediction has no probabilities to calibrate.
    if (!pair.predictionMissing() && predictionError == null) {
      record.setCalibration(calibration(pair, probabilities, lesion, grid));
    }
    return record;
  }

  /** The calibration counts inside the brain: the DWI's nonzero voxels, or every voxel without a DWI. */
  private static CalibrationCounts calibration(CasePair pair, float[] probabilities, boolean[] lesion, Grid grid) {
    boolean[] brain = null;
    if (pair.brainImagePath() != null) {
      Volume dwi = read(pair.brainImagePath()).firstVolume();
      if (!dwi.grid().sameGrid(grid, Grid.TOLERANCE_MM)) {
        throw new CaseInputException(pair.brainImagePath(), "DWI is not on the grid of its ground truth " + pair.groundTruthPath());
      }
      brain = dwi.nonzero();
    }
    CalibrationBins bins = CalibrationBins.of(probabilities, lesion, brain);
    return CalibrationCounts.newBuilder()
        .setVoxels(Arrays.stream(bins.voxels()).boxed().toList())
        .setProbabilitySums(Arrays.stream(bins.probabilitySums()).boxed().toList())
        .setLesionVoxels(Arrays.stream(bins.lesionVoxels()).boxed().toList())
        .setRegion(brain == null ? CalibrationSummary.ALL_VOXELS : CalibrationSummary.NONZERO_DWI)
        .build();
  }

  private static float[] probabilities(CasePair pair, Grid truthGrid) {
    Volume prediction = read(pair.predictionPath()).firstVolume();
    if (!prediction.grid().sameGrid(truthGrid, Grid.TOLERANCE_MM)) {
      throw new CaseInputException(
          pair.predictionPath(),
          "prediction is not on the grid of its ground truth " + pair.groundTruthPath() + ": prediction shape "
              + Arrays.toString(prediction.grid().shape()) + " affine " + Arrays.toString(prediction.grid().affine())
              + ", ground truth shape " + Arrays.toString(truthGrid.shape()) + " affine "
              + Arrays.toString(truthGrid.affine()));
    }
    float[] values = prediction.data();
    for (int n = 0; n < values.length; n++) {
      if (!(values[n] >= 0f && values[n] <= 1f)) {
        int i = n % truthGrid.nx();
        int j = (n / truthGrid.nx()) % truthGrid.ny();
        int k = n / (truthGrid.nx() * truthGrid.ny());
        throw new CaseInputException(
            pair.predictionPath(),
            "probability " + values[n] + " at voxel (" + i + ", " + j + ", " + k + ") is not in [0, 1]");
      }
    }
    return values;
  }

  private static NiftiImage read(String file) {
    try {
      NiftiImage image = Nifti.read(Path.of(file));
      if (image.volumeCount() != 1) {
        throw new CaseInputException(file, "expected one 3-D volume, found " + image.volumeCount());
      }
      return image;
    } catch (NiftiException e) {
      throw new CaseInputException(file, e.getMessage(), e);
    }
  }
}

package org.isles.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.isles.postprocess.PostProcessingOptions;
import org.isles.volume.Grid;
import org.junit.jupiter.api.Test;

/** Hand-computed cases for the ISLES 2022 lesion rules, volumes and boundary distances. */
class CaseMetricsTest {
  private static final MaskGeometry GEOMETRY = MaskGeometry.of(12, 10, 6, 1, 1, 1);

  private static boolean[] empty() {
    return new boolean[GEOMETRY.size()];
  }

  private static void fill(boolean[] mask, int i0, int j0, int k0, int i1, int j1, int k1) {
    for (int k = k0; k <= k1; k++) {
      for (int j = j0; j <= j1; j++) {
        for (int i = i0; i <= i1; i++) {
          mask[i + GEOMETRY.nx() * (j + GEOMETRY.ny() * k)] = true;
        }
      }
    }
  }

  @Test
  void oneLesionHitByThreeBlobsIsOneTruePositiveAndNoFalsePositive() {
    boolean[] truth = empty();
    fill(truth, 2, 2, 1, 7, 5, 3);
    boolean[] prediction = empty();
    fill(prediction, 2, 2, 1, 2, 2, 1);
    fill(prediction, 5, 2, 1, 5, 2, 1);
    fill(prediction, 2, 5, 3, 2, 5, 3);
    CaseMetrics metrics = CaseEvaluator.evaluate(truth, prediction, GEOMETRY);
    assertEquals(new ConfusionCounts(1, 0, 0), metrics.lesions());
    assertEquals(1.0, metrics.lesionF1());
    assertEquals(3, metrics.predictedLesions());
    assertEquals(2, metrics.absoluteLesionCountDifference());
    assertEquals(2, metrics.lesionCountDifference());
    assertEquals(2.0 * 3 / (72 + 3), metrics.dice());
  }

  @Test
  void oneBlobTouchingTwoLesionsIsTwoTruePositives() {
    boolean[] truth = empty();
    fill(truth, 1, 1, 1, 2, 2, 1);
    fill(truth, 6, 1, 1, 7, 2, 1);
    boolean[] prediction = empty();
    fill(prediction, 2, 1, 1, 6, 1, 1);
    CaseMetrics touching = CaseEvaluator.evaluate(truth, prediction, GEOMETRY);
    assertEquals(new ConfusionCounts(2, 0, 0), touching.lesions());
    assertEquals(1, touching.predictedLesions());
    assertEquals(-1, touching.lesionCountDifference());

    fill(prediction, 10, 8, 4, 10, 8, 4);
    CaseMetrics withFarBlob = CaseEvaluator.evaluate(truth, prediction, GEOMETRY);
    assertEquals(new ConfusionCounts(2, 1, 0), withFarBlob.lesions());
    assertEquals(1, withFarBlob.falsePositiveComponents());
    assertEquals(2 / (2 + 0.5), withFarBlob.lesionF1());
  }

  @Test
  void missedLesionIsAFalseNegative() {
    boolean[] truth = empty();
    fill(truth, 1, 1, 1, 2, 2, 1);
    fill(truth, 8, 6, 3, 9, 7, 4);
    boolean[] prediction = empty();
    fill(prediction, 1, 1, 1, 1, 1, 1);
    CaseMetrics metrics = CaseEvaluator.evaluate(truth, prediction, GEOMETRY);
    assertEquals(new ConfusionCounts(1, 0, 1), metrics.lesions());
    assertEquals(1 / (1 + 0.5), metrics.lesionF1());
    assertEquals(new ConfusionCounts(1, 0, 11), metrics.voxels());
    assertEquals(1.0, metrics.voxelPrecision());
    assertEquals(1.0 / 12, metrics.voxelRecall());
  }

  @Test
  void bothEmptyScoresOneWithUndefinedDistances() {
    CaseMetrics metrics = CaseEvaluator.evaluate(empty(), empty(), GEOMETRY);
    assertEquals(1.0, metrics.dice());
    assertEquals(1.0, metrics.lesionF1());
    assertEquals(0.0, metrics.absoluteVolumeDifferenceMl());
    assertEquals(0, metrics.absoluteLesionCountDifference());
    assertTrue(Double.isNaN(metrics.boundary().hausdorffMm()));
    assertTrue(Double.isNaN(metrics.voxelPrecision()));
    assertFalse(metrics.falseAlarm());
    Map<String, Object> map = metrics.toMap();
    assertNull(map.get("assd_mm"));
    assertNull(map.get("threshold"));
    assertEquals(1.0, map.get("dice"));
  }

  @Test
  void emptyTruthWithAPredictionScoresZero() {
    boolean[] prediction = empty();
    fill(prediction, 1, 1, 1, 1, 1, 1);
    fill(prediction, 5, 5, 3, 6, 5, 3);
    CaseMetrics metrics = CaseEvaluator.evaluate(empty(), prediction, GEOMETRY);
    assertEquals(0.0, metrics.dice());
    assertEquals(0.0, metrics.lesionF1());
    assertEquals(new ConfusionCounts(0, 2, 0), metrics.lesions());
    assertTrue(metrics.falseAlarm());
    assertTrue(Double.isNaN(metrics.boundary().hausdorff95Mm()));
  }

  @Test
  void volumesAreInMillilitresOfAnisotropicVoxels() {
    MaskGeometry geometry = MaskGeometry.of(Grid.axisAligned(12, 10, 6, 2.0, 1.5, 4.0));
    assertEquals(0.012, geometry.voxelVolumeMl(), 1e-15);
    boolean[] truth = empty();
    fill(truth, 1, 1, 1, 5, 2, 1); // 10 voxels = 0.12 mL
    boolean[] prediction = empty();
    fill(prediction, 1, 1, 1, 4, 1, 1); // 4 voxels = 0.048 mL
    CaseMetrics metrics = CaseEvaluator.evaluate(truth, prediction, geometry);
    assertEquals(0.12, metrics.groundTruthVolumeMl(), 1e-12);
    assertEquals(0.072, metrics.absoluteVolumeDifferenceMl(), 1e-12);
    assertEquals(-0.072, metrics.volumeDifferenceMl(), 1e-12);
    assertEquals(2.0 * 4 / 14, metrics.dice());
  }

  @Test
  void boundaryDistancesOfSingleVoxelsAreHandComputable() {
    MaskGeometry geometry = MaskGeometry.of(12, 5, 5, 2.0, 1.0, 1.0);
    boolean[] truth = new boolean[geometry.size()];
    truth[2 + 12 * (2 + 5 * 2)] = true;
    truth[8 + 12 * (2 + 5 * 2)] = true;
    boolean[] prediction = new boolean[geometry.size()];
    prediction[2 + 12 * (2 + 5 * 2)] = true;
    // prediction -> truth: [0]; truth -> prediction: [0, 12 mm]
    BoundaryDistances distances = CaseEvaluator.evaluate(truth, prediction, geometry).boundary();
    assertEquals(12.0, distances.hausdorffMm(), 1e-12);
    assertEquals(0.9 * 12.0, distances.hausdorff95Mm(), 1e-12);
    assertEquals((0.0 + 6.0) / 2, distances.assdMm(), 1e-12);
    assertEquals(distances, BoundaryDistances.between(truth, prediction, geometry));
  }

  @Test
  void voxelsOnTheArrayBorderAreSurface() {
    assertEquals(26, Surface.indices(Surface.of(full(27), 3, 3, 3)).length);
    assertEquals(125 - 27, Surface.indices(Surface.of(full(125), 5, 5, 5)).length);
  }

  @Test
  void thresholdSweepAgreesWithScoringEachThresholdedMask() {
    SyntheticCase synthetic = SyntheticCase.generate(11, 30, 26, 12, 8, 4, 0.4);
    MaskGeometry geometry = MaskGeometry.of(30, 26, 12, 0.9, 0.9, 3.0);
    double[] thresholds = {0.1, 0.3, 0.5, 0.7, 0.9};
    List<CaseMetrics> sweep = CaseEvaluator.evaluate(
        synthetic.probabilities(), synthetic.groundTruth(), geometry, thresholds, PostProcessingOptions.NONE);
    ConfusionCounts[] counts =
        CaseEvaluator.voxelCounts(synthetic.probabilities(), synthetic.groundTruth(), thresholds);
    for (int t = 0; t < thresholds.length; t++) {
      boolean[] prediction = new boolean[geometry.size()];
      for (int n = 0; n < prediction.length; n++) {
        prediction[n] = synthetic.probabilities()[n] >= (float) thresholds[t];
      }
      CaseMetrics single = CaseEvaluator.evaluate(synthetic.groundTruth(), prediction, geometry);
      assertEquals(single.toMap().toString().replace("threshold=null", "threshold=" + thresholds[t]),
          sweep.get(t).toMap().toString());
      assertEquals(ConfusionCounts.ofMasks(synthetic.groundTruth(), prediction), counts[t]);
    }
  }

  private static boolean[] full(int size) {
    boolean[] mask = new boolean[size];
    Arrays.fill(mask, true);
    return mask;
  }
}

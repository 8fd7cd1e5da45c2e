package org.isles.evaluation;

import java.io.Serializable;

/**
 * A ground-truth mask and the probability map to score against it.
 *
 * @param predictionPath null when no prediction exists: the case is scored as an empty prediction
 * @param brainImagePath the case's DWI, whose nonzero voxels are the brain for calibration; null
 *     when unknown (a folder of masks), then every voxel counts
 */
public record CasePair(String caseId, String groundTruthPath, String predictionPath, String brainImagePath) implements Serializable {
  public CasePair(String caseId, String groundTruthPath, String predictionPath) {
    this(caseId, groundTruthPath, predictionPath, null);
  }

  public boolean predictionMissing() {
    return predictionPath == null;
  }
}

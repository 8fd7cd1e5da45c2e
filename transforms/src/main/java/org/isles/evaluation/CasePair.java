package org.isles.evaluation;

import java.io.Serializable;

/**
 * A ground-truth mask and the probability map to score against it.
 *
 * @param predictionPath null when no prediction exists: the case is scored as an empty prediction
 */
public record CasePair(String caseId, String groundTruthPath, String predictionPath) implements Serializable {
  public boolean predictionMissing() {
    return predictionPath == null;
  }
}

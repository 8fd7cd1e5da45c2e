package org.isles.evaluation;

import org.isles.metrics.CaseMetrics;

/** What mostly went wrong in a case, for reading the worst cases of an evaluation. */
public enum ErrorType {
  /** The ground truth is empty and something was predicted. */
  FALSE_ALARM_EMPTY_CASE("false_alarm_empty_case"),
  /** The ground truth has lesions and no predicted voxel touches any of them. */
  MISSED_LESION("missed_lesion"),
  /** More false-positive than false-negative voxels. */
  FALSE_POSITIVE_DOMINATED("false_positive_dominated"),
  /** At least as many false-negative as false-positive voxels, and some. */
  FALSE_NEGATIVE_DOMINATED("false_negative_dominated"),
  /** No voxel wrong. */
  NONE("none");

  public static final String RULE =
      "empty ground truth with any predicted voxel: false_alarm_empty_case; lesions but no true-positive voxel:"
          + " missed_lesion; otherwise false_positive_dominated when FP voxels > FN voxels,"
          + " false_negative_dominated when FN voxels >= FP voxels and FN > 0, none when both are 0";

  private final String label;

  ErrorType(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static ErrorType of(CaseMetrics metrics) {
    if (!metrics.hasLesion()) {
      return metrics.falseAlarm() ? FALSE_ALARM_EMPTY_CASE : NONE;
    }
    if (!metrics.detected()) {
      return MISSED_LESION;
    }
    long falsePositives = metrics.voxels().falsePositives();
    long falseNegatives = metrics.voxels().falseNegatives();
    if (falsePositives > falseNegatives) {
      return FALSE_POSITIVE_DOMINATED;
    }
    return falseNegatives > 0 ? FALSE_NEGATIVE_DOMINATED : NONE;
  }
}

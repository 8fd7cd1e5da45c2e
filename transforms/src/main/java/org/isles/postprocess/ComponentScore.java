package org.isles.postprocess;

/** The probability summary of a connected component that cc_score compares with its threshold. */
public enum ComponentScore {
  /** cc_score is off. */
  NONE,
  MAX,
  /** The 95th percentile with numpy's default linear interpolation. */
  P95,
  MEAN
}

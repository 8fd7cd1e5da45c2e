package org.isles.synth;

/** What the phantom holds at one world point; reused across voxels to avoid allocation. */
final class TissueSample {
  boolean inBrain;
  double csf;
  double grey;
  double white;
  /** Fine tissue texture in [-1, 1]. */
  double texture;
  /** Coil sensitivity variation in [-1, 1]. */
  double bias;
  /** Partial-volume share of lesion in [0, 1]; above 0.5 the point is inside the lesion. */
  double lesionWeight;
  /** The lesion with the largest weight here (null when lesionWeight is 0). */
  Lesion lesion;

  void clear() {
    inBrain = false;
    csf = 0;
    grey = 0;
    white = 0;
    texture = 0;
    bias = 0;
    lesionWeight = 0;
    lesion = null;
  }

  /** The ground-truth label: a labelled lesion's core, clipped to the brain. */
  boolean labelledLesion() {
    return inBrain && lesionWeight > 0.5 && lesion.appearance().labelled();
  }
}

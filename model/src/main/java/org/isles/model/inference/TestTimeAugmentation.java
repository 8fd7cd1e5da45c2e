package org.isles.model.inference;

import java.util.List;

/**
 * Mirrorings applied to each window batch at inference; predictions are un-mirrored and their
 * probabilities averaged. Axes are those of a (N, C, D, H, W) batch; W is the fastest axis of the
 * volume, i.e. x = left-right for RAS-oriented data.
 */
public enum TestTimeAugmentation {
  NONE(List.of(new int[0])),
  /** Identity and the left-right mirror. */
  FLIP(List.of(new int[0], new int[] {4})),
  /** All 8 combinations of mirroring D, H and W. */
  FULL(List.of(new int[0], new int[] {2}, new int[] {3}, new int[] {4},
      new int[] {2, 3}, new int[] {2, 4}, new int[] {3, 4}, new int[] {2, 3, 4}));

  private final List<int[]> mirroredAxes;

  TestTimeAugmentation(List<int[]> mirroredAxes) {
    this.mirroredAxes = mirroredAxes;
  }

  /** One entry per forward pass: the batch axes to mirror (empty: as is). Do not modify. */
  public List<int[]> mirroredAxes() {
    return mirroredAxes;
  }

  /**
   * The passes when the volume's left-right axis is batch axis {@code leftRightAxis} (2 = D, 3 =
   * H, 4 = W), as in sagittal or coronal acquisitions: {@link #FLIP} mirrors that axis; the others
   * do not depend on it.
   */
  public List<int[]> mirroredAxes(int leftRightAxis) {
    if (leftRightAxis < 2 || leftRightAxis > 4) {
      throw new IllegalArgumentException("left-right axis must be a spatial batch axis 2..4, got " + leftRightAxis);
    }
    return this == FLIP ? List.of(new int[0], new int[] {leftRightAxis}) : mirroredAxes;
  }
}

package org.isles.preprocess;

import java.util.stream.IntStream;

/** Splits work over slices across the common fork-join pool only when the volume is worth it. */
final class ParallelSlices {
  /** Below this many voxels, forking costs more than it saves. */
  static final int PARALLEL_VOXELS = 1 << 18;

  private ParallelSlices() {}

  static IntStream range(int slices, int voxels) {
    IntStream range = IntStream.range(0, slices);
    return voxels >= PARALLEL_VOXELS ? range.parallel() : range;
  }
}

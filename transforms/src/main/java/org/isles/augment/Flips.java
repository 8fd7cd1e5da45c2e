package org.isles.augment;

import org.isles.sampling.PatchSize;

/** Mirroring of channels-first, x-fastest patch arrays along one spatial axis, in place. */
public final class Flips {
  private Flips() {}

  /**
   * Reverses {@code data} (channels stacked, each {@code size} in x-fastest order) along axis 0
   * (x), 1 (y) or 2 (z). Flipping twice restores the input.
   */
  public static void flip(float[] data, int channels, PatchSize size, int axis) {
    if (data.length != channels * size.voxels()) {
      throw new IllegalArgumentException("array of " + data.length + " values is not " + channels + " x " + size);
    }
    int length = size.along(axis);
    int stride = axis == 0 ? 1 : axis == 1 ? size.nx() : size.nx() * size.ny();
    int blocks = data.length / (stride * length);
    float[] swap = new float[stride];
    for (int block = 0; block < blocks; block++) {
      int base = block * stride * length;
      for (int low = 0, high = length - 1; low < high; low++, high--) {
        int a = base + low * stride;
        int b = base + high * stride;
        if (stride == 1) {
          float value = data[a];
          data[a] = data[b];
          data[b] = value;
        } else {
          System.arraycopy(data, a, swap, 0, stride);
          System.arraycopy(data, b, data, a, stride);
          System.arraycopy(swap, 0, data, b, stride);
        }
      }
    }
  }
}

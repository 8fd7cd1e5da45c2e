package org.isles.sampling;

/**
 * One training example: a multi-channel image patch and its binary label patch (0 or 1).
 *
 * <p>Both arrays are channels-first with x fastest, i.e. C, z, y, x in row-major terms: voxel
 * (x, y, z) of channel c is at {@code x + nx * (y + ny * (z + nz * c))}. Within a channel this is
 * the {@link org.isles.volume.Grid} index order, so a patch copies out of a volume row by row and
 * into a tensor of shape {@link #imageShape()} without reordering. The network treats the three
 * spatial axes alike; whoever maps predictions back uses the same (z, y, x) reading.
 *
 * <p>The arrays are shared, not copied; augmentation works on them in place.
 */
public record TrainingSample(String caseId, int channels, PatchSize size, float[] image, float[] label) {
  public TrainingSample {
    if (channels <= 0) {
      throw new IllegalArgumentException("case " + caseId + ": a sample needs at least one channel");
    }
    if (image.length != channels * size.voxels() || label.length != size.voxels()) {
      throw new IllegalArgumentException("case " + caseId + ": image has " + image.length + " and label "
          + label.length + " values, expected " + channels + " x " + size + " and " + size);
    }
  }

  /** A zero sample, to be filled in. */
  public static TrainingSample zeros(String caseId, int channels, PatchSize size) {
    return new TrainingSample(caseId, channels, size, new float[channels * size.voxels()], new float[size.voxels()]);
  }

  /** Tensor shape of {@link #image()}: (channels, nz, ny, nx). */
  public long[] imageShape() {
    return new long[] {channels, size.nz(), size.ny(), size.nx()};
  }

  /** Tensor shape of {@link #label()}: (1, nz, ny, nx). */
  public long[] labelShape() {
    return new long[] {1, size.nz(), size.ny(), size.nx()};
  }

  /** Index in {@link #image()} where channel {@code channel} starts. */
  public int channelStart(int channel) {
    return channel * size.voxels();
  }
}

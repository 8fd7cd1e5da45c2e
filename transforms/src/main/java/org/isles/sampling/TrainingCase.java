package org.isles.sampling;

import java.util.List;
import java.util.stream.IntStream;
import org.isles.volume.Grid;
import org.isles.volume.Volume;

/**
 * A preprocessed case ready for patch sampling: its image channels and lesion mask on one grid.
 * The lesion voxels (nonzero mask voxels, the ISLES definition) are listed once here so that each
 * foreground pick is a single random index.
 */
public final class TrainingCase {
  private static final double GRID_TOLERANCE = 1e-4;

  private final String id;
  private final List<Volume> channels;
  private final Volume label;
  private final int[] lesionVoxels;

  public TrainingCase(String id, List<Volume> channels, Volume label) {
    if (channels.isEmpty()) {
      throw new IllegalArgumentException("case " + id + " has no image channels");
    }
    for (Volume channel : channels) {
      if (!channel.grid().sameGrid(label.grid(), GRID_TOLERANCE)) {
        throw new IllegalArgumentException("case " + id + ": channel grid " + channel.grid()
            + " differs from label grid " + label.grid());
      }
    }
    this.id = id;
    this.channels = List.copyOf(channels);
    this.label = label;
    float[] mask = label.data();
    this.lesionVoxels = IntStream.range(0, mask.length).filter(n -> mask[n] != 0f).toArray();
  }

  public String id() {
    return id;
  }

  public Grid grid() {
    return label.grid();
  }

  public List<Volume> channels() {
    return channels;
  }

  public int channelCount() {
    return channels.size();
  }

  public Volume label() {
    return label;
  }

  public int lesionVoxelCount() {
    return lesionVoxels.length;
  }

  /** The n-th lesion voxel as a linear grid index, in increasing index order. */
  public int lesionVoxel(int n) {
    return lesionVoxels[n];
  }

  /**
   * Copies a window out of the case; voxels of the window outside the volume are 0 in every
   * channel and in the label. The label is binarised (nonzero becomes 1).
   */
  public TrainingSample crop(PatchWindow window) {
    PatchSize size = window.size();
    TrainingSample sample = TrainingSample.zeros(id, channels.size(), size);
    Grid grid = grid();
    int xFrom = Math.max(0, window.startX());
    int xTo = Math.min(grid.nx(), window.startX() + size.nx());
    if (xFrom >= xTo) {
      return sample;
    }
    float[] mask = label.data();
    for (int z = 0; z < size.nz(); z++) {
      int k = window.startZ() + z;
      if (k < 0 || k >= grid.nz()) {
        continue;
      }
      for (int y = 0; y < size.ny(); y++) {
        int j = window.startY() + y;
        if (j < 0 || j >= grid.ny()) {
          continue;
        }
        int source = grid.index(xFrom, j, k);
        int target = (xFrom - window.startX()) + size.nx() * (y + size.ny() * z);
        for (int c = 0; c < channels.size(); c++) {
          System.arraycopy(channels.get(c).data(), source, sample.image(), sample.channelStart(c) + target, xTo - xFrom);
        }
        for (int n = 0; n < xTo - xFrom; n++) {
          sample.label()[target + n] = mask[source + n] != 0f ? 1f : 0f;
        }
      }
    }
    return sample;
  }
}

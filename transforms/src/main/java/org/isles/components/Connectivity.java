package org.isles.components;

/**
 * Which of a voxel's 26 neighbours touch it: faces only (6), faces and edges (18), or faces,
 * edges and corners (26, scipy's {@code generate_binary_structure(3, 3)}, the ISLES 2022 lesion
 * definition).
 */
public enum Connectivity {
  SIX(6, 1),
  EIGHTEEN(18, 2),
  TWENTY_SIX(26, 3);

  private final int neighbours;
  /** Neighbours differ from the voxel in at most this many coordinates. */
  private final int maxChangedAxes;

  Connectivity(int neighbours, int maxChangedAxes) {
    this.neighbours = neighbours;
    this.maxChangedAxes = maxChangedAxes;
  }

  public static Connectivity of(int neighbours) {
    return switch (neighbours) {
      case 6 -> SIX;
      case 18 -> EIGHTEEN;
      case 26 -> TWENTY_SIX;
      default -> throw new IllegalArgumentException("connectivity must be 6, 18 or 26, got " + neighbours);
    };
  }

  public int neighbours() {
    return neighbours;
  }

  /** True when the voxel at offset (di, dj, dk), each in -1..1 and not all zero, is a neighbour. */
  boolean connects(int di, int dj, int dk) {
    return Math.abs(di) + Math.abs(dj) + Math.abs(dk) <= maxChangedAxes;
  }
}

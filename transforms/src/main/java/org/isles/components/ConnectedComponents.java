package org.isles.components;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The connected components of a 3-D boolean mask (index {@code i + nx * (j + ny * k)}), labelled
 * 1..N in the order their first voxel appears in that index order, as scipy.ndimage.label numbers
 * them on the array of shape (nz, ny, nx). Background is 0.
 *
 * <p>One raster scan visits each foreground voxel's already-scanned half of the neighbourhood and
 * merges provisional labels in a union-find whose roots are always the smallest label of their
 * set; a second pass writes the final labels. Linear in the number of voxels.
 */
public final class ConnectedComponents {
  private final int nx;
  private final int ny;
  private final int nz;
  private final int[] labels;
  private final int[] voxelCounts;

  private ConnectedComponents(int nx, int ny, int nz, int[] labels, int[] voxelCounts) {
    this.nx = nx;
    this.ny = ny;
    this.nz = nz;
    this.labels = labels;
    this.voxelCounts = voxelCounts;
  }

  /** Labels {@code mask} with 26-connectivity, the ISLES 2022 lesion definition. */
  public static ConnectedComponents label(boolean[] mask, int nx, int ny, int nz) {
    return label(mask, nx, ny, nz, Connectivity.TWENTY_SIX);
  }

  public static ConnectedComponents label(boolean[] mask, int nx, int ny, int nz, Connectivity connectivity) {
    BoundingBox.checkLength(mask.length, nx, ny, nz);
    int[][] offsets = scannedNeighbourOffsets(connectivity);
    int[] linearOffsets = new int[offsets.length];
    for (int n = 0; n < offsets.length; n++) {
      linearOffsets[n] = offsets[n][0] + nx * (offsets[n][1] + ny * offsets[n][2]);
    }
    int[] labels = new int[mask.length];
    UnionFind sets = new UnionFind();
    int index = 0;
    for (int k = 0; k < nz; k++) {
      for (int j = 0; j < ny; j++) {
        for (int i = 0; i < nx; i++, index++) {
          if (!mask[index]) {
            continue;
          }
          boolean interior = i > 0 && i < nx - 1 && j > 0 && j < ny - 1 && k > 0;
          int root = 0;
          for (int n = 0; n < offsets.length; n++) {
            if (!interior && !inside(i + offsets[n][0], j + offsets[n][1], k + offsets[n][2], nx, ny)) {
              continue;
            }
            int neighbour = labels[index + linearOffsets[n]];
            if (neighbour != 0) {
              root = root == 0 ? sets.find(neighbour) : sets.union(root, neighbour);
            }
          }
          labels[index] = root == 0 ? sets.add() : root;
        }
      }
    }
    int[] finalLabel = sets.numberRootsInOrder();
    int[] voxelCounts = new int[sets.roots() + 1];
    for (int n = 0; n < labels.length; n++) {
      int label = finalLabel[labels[n]];
      labels[n] = label;
      voxelCounts[label]++;
    }
    return new ConnectedComponents(nx, ny, nz, labels, voxelCounts);
  }

  /** The label of every voxel, 0 for background. The array is shared, not copied. */
  public int[] labels() {
    return labels;
  }

  /** The number of components N. */
  public int count() {
    return voxelCounts.length - 1;
  }

  /** Voxels per label like numpy's bincount: index 0 counts background, 1..N the components. */
  public int[] voxelCounts() {
    return voxelCounts.clone();
  }

  public int voxelCount(int label) {
    return voxelCounts[label];
  }

  /** The foreground voxels of all components as a mask. */
  public boolean[] mask() {
    boolean[] mask = new boolean[labels.length];
    for (int n = 0; n < labels.length; n++) {
      mask[n] = labels[n] != 0;
    }
    return mask;
  }

  public int nx() {
    return nx;
  }

  public int ny() {
    return ny;
  }

  public int nz() {
    return nz;
  }

  /**
   * Only the components whose {@code keep[label]} is true, renumbered 1..M in their old order.
   * Removing whole components leaves the others' connectivity untouched, so this equals
   * labelling the smaller mask again, without the scan.
   */
  public ConnectedComponents keep(boolean[] keep) {
    if (keep.length != voxelCounts.length) {
      throw new IllegalArgumentException(
          "keep flags must have one entry per label 0.." + count() + ", got " + keep.length);
    }
    int[] newLabel = new int[voxelCounts.length];
    List<Integer> keptCounts = new ArrayList<>();
    int background = voxelCounts[0];
    for (int label = 1; label < voxelCounts.length; label++) {
      if (keep[label]) {
        keptCounts.add(voxelCounts[label]);
        newLabel[label] = keptCounts.size();
      } else {
        background += voxelCounts[label];
      }
    }
    int[] newCounts = new int[keptCounts.size() + 1];
    newCounts[0] = background;
    for (int n = 1; n < newCounts.length; n++) {
      newCounts[n] = keptCounts.get(n - 1);
    }
    int[] newLabels = new int[labels.length];
    for (int n = 0; n < labels.length; n++) {
      newLabels[n] = newLabel[labels[n]];
    }
    return new ConnectedComponents(nx, ny, nz, newLabels, newCounts);
  }

  /** Neighbour offsets (di, dj, dk) that come earlier in the raster scan. */
  private static int[][] scannedNeighbourOffsets(Connectivity connectivity) {
    List<int[]> offsets = new ArrayList<>();
    for (int dk = -1; dk <= 0; dk++) {
      for (int dj = -1; dj <= 1; dj++) {
        for (int di = -1; di <= 1; di++) {
          boolean earlier = dk < 0 || dj < 0 || (dj == 0 && di < 0);
          if (earlier && connectivity.connects(di, dj, dk)) {
            offsets.add(new int[] {di, dj, dk});
          }
        }
      }
    }
    return offsets.toArray(new int[0][]);
  }

  /** Whether (i, j, k) of a scanned neighbour is in the grid; k never exceeds the current slice. */
  private static boolean inside(int i, int j, int k, int nx, int ny) {
    return i >= 0 && i < nx && j >= 0 && j < ny && k >= 0;
  }

  /**
   * Provisional labels 1.. with parent links that always point to a smaller label, so a set's root
   * is its first-created label, i.e. the one its first voxel in raster order received.
   */
  private static final class UnionFind {
    private int[] parent = new int[1024];
    private int size = 1;

    int add() {
      if (size == parent.length) {
        parent = Arrays.copyOf(parent, 2 * parent.length);
      }
      parent[size] = size;
      return size++;
    }

    int find(int label) {
      while (parent[label] != label) {
        parent[label] = parent[parent[label]];
        label = parent[label];
      }
      return label;
    }

    int union(int a, int b) {
      int rootA = find(a);
      int rootB = find(b);
      if (rootA < rootB) {
        parent[rootB] = rootA;
        return rootA;
      }
      parent[rootA] = rootB;
      return rootB;
    }

    private int roots;

    /** Final labels indexed by provisional label (index 0 stays 0): roots numbered 1.. in order. */
    int[] numberRootsInOrder() {
      int[] number = new int[size];
      roots = 0;
      for (int label = 1; label < size; label++) {
        number[label] = parent[label] == label ? ++roots : number[parent[label]];
      }
      return number;
    }

    /** The number of sets, known after {@link #numberRootsInOrder}. */
    int roots() {
      return roots;
    }
  }
}

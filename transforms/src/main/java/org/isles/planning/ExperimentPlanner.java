package org.isles.planning;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.isles.stats.Percentile;

/**
 * An nnU-Net-like plan from a dataset fingerprint: the target spacing and the largest training
 * patch that fits a memory budget.
 *
 * <p>Target spacing is the per-axis median spacing; when one axis is clearly coarser than the
 * others (at least {@link #ANISOTROPY_RATIO} times the finest), its 10th percentile is used
 * instead, as nnU-Net does, so thick-slice cases do not drag the whole dataset to a coarse grid.
 */
public final class ExperimentPlanner {
  public static final double ANISOTROPY_RATIO = 3.0;
  /** Patch sides are multiples of 2^depth so every down-sampling halves an even size. */
  public static final int DEPTH = 4;
  private static final int PATCH_MULTIPLE = 1 << DEPTH;
  private static final int MAX_PATCH_SIDE = 128;
  /** Tensors kept per voxel and channel in a training step: two conv stages x (conv, norm, act) x (value, grad). */
  private static final int TENSORS_PER_CHANNEL_VOXEL = 12;

  private ExperimentPlanner() {}

  /** One case's geometry. */
  public record CaseGeometry(int[] shape, double[] spacing) {}

  public record Plan(
      double[] targetSpacing,
      List<double[]> spacingCandidates,
      int[] medianShapeAtTarget,
      int[] patchSize,
      int baseChannels,
      double memoryBudgetGb,
      double estimatedMemoryGb) {
    public Map<String, Object> toJson() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("target_spacing_mm", targetSpacing);
      json.put("spacing_candidates_mm", spacingCandidates);
      json.put("median_shape_at_target", medianShapeAtTarget);
      json.put("patch_size", patchSize);
      json.put("base_channels", baseChannels);
      json.put("depth", DEPTH);
      json.put("memory_budget_gb", memoryBudgetGb);
      json.put("estimated_training_memory_gb", estimatedMemoryGb);
      json.put(
          "rule",
          "target spacing = per-axis median; an axis >= " + ANISOTROPY_RATIO
              + "x coarser than the finest uses its 10th percentile; patch = median shape at target,"
              + " multiple of " + PATCH_MULTIPLE + ", at most " + MAX_PATCH_SIDE
              + ", largest side reduced until the estimated training memory fits the budget");
      return json;
    }
  }

  public static Plan plan(List<CaseGeometry> cases, int baseChannels, double memoryBudgetGb) {
    if (cases.isEmpty()) {
      throw new IllegalArgumentException("cannot plan without cases");
    }
    double[] target = targetSpacing(cases);
    int[] medianShape = new int[3];
    for (int axis = 0; axis < 3; axis++) {
      double[] sizes = new double[cases.size()];
      for (int c = 0; c < cases.size(); c++) {
        sizes[c] = cases.get(c).shape()[axis] * cases.get(c).spacing()[axis] / target[axis];
      }
      medianShape[axis] = (int) Math.round(percentile(sizes, 50));
    }
    int[] patch = new int[3];
    for (int axis = 0; axis < 3; axis++) {
      patch[axis] = Math.max(PATCH_MULTIPLE, Math.min(MAX_PATCH_SIDE, roundUp(medianShape[axis])));
    }
    while (estimatedMemoryGb(patch, baseChannels) > memoryBudgetGb && Arrays.stream(patch).max().getAsInt() > PATCH_MULTIPLE) {
      int largest = 0;
      for (int axis = 1; axis < 3; axis++) {
        if (patch[axis] > patch[largest]) {
          largest = axis;
        }
      }
      patch[largest] -= PATCH_MULTIPLE;
    }
    List<double[]> candidates = new ArrayList<>();
    candidates.add(target);
    candidates.add(new double[] {1, 1, 1});
    candidates.add(new double[] {2, 2, 2});
    return new Plan(target, candidates, medianShape, patch, baseChannels, memoryBudgetGb, estimatedMemoryGb(patch, baseChannels));
  }

  static double[] targetSpacing(List<CaseGeometry> cases) {
    double[] median = new double[3];
    double[][] perAxis = new double[3][cases.size()];
    for (int c = 0; c < cases.size(); c++) {
      for (int axis = 0; axis < 3; axis++) {
        perAxis[axis][c] = cases.get(c).spacing()[axis];
      }
    }
    for (int axis = 0; axis < 3; axis++) {
      median[axis] = percentile(perAxis[axis], 50);
    }
    double finest = Arrays.stream(median).min().getAsDouble();
    double[] target = median.clone();
    for (int axis = 0; axis < 3; axis++) {
      if (median[axis] >= ANISOTROPY_RATIO * finest) {
        target[axis] = percentile(perAxis[axis], 10);
      }
    }
    return target;
  }

  /** Rough training memory in GB for a patch at batch 1 (float32 activations and gradients). */
  public static double estimatedMemoryGb(int[] patch, int baseChannels) {
    double voxels = (double) patch[0] * patch[1] * patch[2];
    double channelVoxels = 0;
    for (int level = 0; level <= DEPTH; level++) {
      channelVoxels += voxels / Math.pow(8, level) * baseChannels * Math.pow(2, level);
    }
    return channelVoxels * TENSORS_PER_CHANNEL_VOXEL * 4 / 1e9;
  }

  /** numpy's default (linear interpolation) percentile, {@code q} in 0..100. */
  public static double percentile(double[] values, double q) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return Percentile.ofSorted(sorted, 0, sorted.length, q / 100.0);
  }

  private static int roundUp(int size) {
    return (size + PATCH_MULTIPLE - 1) / PATCH_MULTIPLE * PATCH_MULTIPLE;
  }
}

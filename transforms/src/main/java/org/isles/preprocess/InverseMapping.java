package org.isles.preprocess;

import java.util.List;
import org.isles.schemas.ProcessedCase;
import org.isles.volume.Grid;
import org.isles.volume.Volume;

/**
 * Undoes a case's geometric preprocessing for a prediction: the processed (cropped) volume is put
 * back on the resampled grid with 0 outside the crop box, then resampled onto the original DWI
 * grid. Interpolation is {@link Interpolation#LINEAR}: a convex combination of neighbours, so
 * probabilities stay in [0, 1] (a cubic spline would overshoot).
 */
public final class InverseMapping {
  private final Grid original;
  private final Grid resampled;
  private final CropBox crop;

  public InverseMapping(Grid original, Grid resampled, CropBox crop) {
    this.original = original;
    this.resampled = resampled;
    this.crop = crop;
  }

  /** The mapping recorded by {@link CasePreprocessor#prepare} for one case. */
  public static InverseMapping of(ProcessedCase record) {
    Grid original = grid(record.getOriginalShape(), record.getOriginalAffine());
    Grid resampled = grid(record.getResampledShape(), record.getResampledAffine());
    CropBox crop = new CropBox(ints(record.getCropLo()), ints(record.getCropHi()));
    return new InverseMapping(original, resampled, crop);
  }

  /** The grid predictions are made on: the crop of the resampled grid. */
  public Grid processedGrid() {
    return crop.crop(resampled);
  }

  public Grid originalGrid() {
    return original;
  }

  /** {@code processed} (on {@link #processedGrid()}) on the original grid; 0 outside the crop box. */
  public Volume toOriginal(Volume processed) {
    Volume uncropped = crop.uncrop(processed, resampled, 0f);
    return Resampler.resample(uncropped, original, Interpolation.LINEAR);
  }

  private static Grid grid(List<Integer> shape, List<Double> affine) {
    double[] values = new double[affine.size()];
    for (int n = 0; n < values.length; n++) {
      values[n] = affine.get(n);
    }
    return new Grid(shape.get(0), shape.get(1), shape.get(2), values);
  }

  private static int[] ints(List<Integer> values) {
    return values.stream().mapToInt(Integer::intValue).toArray();
  }
}

package org.isles.preprocess;

import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How cases are preprocessed; recorded with every processed dataset and every trained run so
 * inference repeats exactly the same steps.
 *
 * @param spacingMm fixed target voxel size per axis, or null in max-zoom mode
 * @param maxZoomMm in max-zoom mode, the coarsest voxel size allowed (finer axes are kept); NaN otherwise
 * @param useFlair whether FLAIR is a third input channel
 * @param cropMarginVoxels margin kept around the brain's bounding box on the target grid
 * @param normalization the per-channel intensity normalization
 */
public record PreprocessingSettings(double[] spacingMm, double maxZoomMm, boolean useFlair, int cropMarginVoxels,
    Normalization normalization) implements Serializable {

  public PreprocessingSettings {
    if ((spacingMm == null) == Double.isNaN(maxZoomMm)) {
      throw new IllegalArgumentException("give either a target spacing or a max-zoom size, not both or neither");
    }
    if (spacingMm != null) {
      spacingMm = spacingMm.clone();
    }
    // a voxel size of 0, -1 or NaN is refused here, where the settings are made, not in every case
    if (spacingMm != null) {
      new TargetSpacing.Fixed(spacingMm);
    } else {
      TargetSpacing.maxZoom(maxZoomMm);
    }
    if (cropMarginVoxels < 0) {
      throw new IllegalArgumentException("crop margin must be >= 0, got " + cropMarginVoxels);
    }
    if (normalization == null) {
      throw new IllegalArgumentException("normalization must be set");
    }
  }

  public static PreprocessingSettings spacing(double... mm) {
    return new PreprocessingSettings(mm, Double.NaN, false, 2, Normalization.NONZERO_ZSCORE);
  }

  public static PreprocessingSettings maxZoom(double mm) {
    return new PreprocessingSettings(null, mm, false, 2, Normalization.NONZERO_ZSCORE);
  }

  public PreprocessingSettings withFlair(boolean flair) {
    return new PreprocessingSettings(spacingMm, maxZoomMm, flair, cropMarginVoxels, normalization);
  }

  public PreprocessingSettings withNormalization(Normalization n) {
    return new PreprocessingSettings(spacingMm, maxZoomMm, useFlair, cropMarginVoxels, n);
  }

  public PreprocessingSettings withCropMargin(int voxels) {
    return new PreprocessingSettings(spacingMm, maxZoomMm, useFlair, voxels, normalization);
  }

  public TargetSpacing targetSpacing() {
    return spacingMm != null ? new TargetSpacing.Fixed(spacingMm) : TargetSpacing.maxZoom(maxZoomMm);
  }

  /** Network input channels in order. */
  public String[] channels() {
    return useFlair ? new String[] {"dwi", "adc", "flair"} : new String[] {"dwi", "adc"};
  }

  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("spacing_mm", spacingMm);
    json.put("max_zoom_mm", Double.isNaN(maxZoomMm) ? null : maxZoomMm);
    json.put("channels", channels());
    json.put("crop_margin_voxels", cropMarginVoxels);
    json.put("image_interpolation", "cubic B-spline (scipy order 3, prefilter, mode mirror)");
    json.put("label_interpolation", "nearest");
    json.put("normalization", normalization.description());
    return json;
  }

  /** The settings {@link #toJson} wrote (as Jackson reads it back: lists and numbers). */
  public static PreprocessingSettings fromJson(Map<?, ?> json) {
    try {
      Object spacing = json.get("spacing_mm");
      Object maxZoom = json.get("max_zoom_mm");
      double[] spacingMm = spacing == null
          ? null
          : ((List<?>) spacing).stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
      double maxZoomMm = maxZoom == null ? Double.NaN : ((Number) maxZoom).doubleValue();
      boolean flair = ((List<?>) json.get("channels")).contains("flair");
      int margin = ((Number) json.get("crop_margin_voxels")).intValue();
      Object normalization = json.get("normalization");
      return new PreprocessingSettings(spacingMm, maxZoomMm, flair, margin,
          normalization == null ? Normalization.NONZERO_ZSCORE : Normalization.parse((String) normalization));
    } catch (ClassCastException | NullPointerException e) {
      throw new IllegalArgumentException("malformed preprocessing settings " + json + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PreprocessingSettings p
        && Arrays.equals(spacingMm, p.spacingMm)
        && Double.compare(maxZoomMm, p.maxZoomMm) == 0
        && useFlair == p.useFlair
        && cropMarginVoxels == p.cropMarginVoxels
        && normalization == p.normalization;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(spacingMm) * 31 + Double.hashCode(maxZoomMm) + (useFlair ? 1 : 0) + 7 * cropMarginVoxels
        + 11 * normalization.ordinal();
  }
}

package org.isles.preprocess;

import java.util.Arrays;
import java.util.Locale;

/**
 * Per-channel intensity normalization of a preprocessed case: the recipe's (percentile clip and
 * z-score on the brain) or none, for models trained elsewhere on raw resampled intensities.
 */
public enum Normalization {
  /** {@link PercentileZScore#DEFAULT} on the nonzero (brain) region; background 0. */
  NONZERO_ZSCORE("per channel on the brain: clip to 0.5/99.5 percentiles, z-score; background 0"),
  /** Resampled and cropped intensities as they are. */
  NONE("none: resampled intensities as they are");

  private final String description;

  Normalization(String description) {
    this.description = description;
  }

  /** The name model cards use: {@code nonzero_zscore} or {@code none}. */
  public String cardName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** What preprocessing records write. */
  public String description() {
    return description;
  }

  /** A card name or a recorded description. */
  public static Normalization parse(String text) {
    for (Normalization n : values()) {
      if (n.cardName().equals(text) || n.description.equals(text)) {
        return n;
      }
    }
    throw new IllegalArgumentException("normalization must be one of "
        + Arrays.stream(values()).map(Normalization::cardName).toList() + ", got '" + text + "'");
  }
}

package org.isles.model.inference;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The number format the networks compute in: {@code precision: fp32 | bf16 | int8 | auto} in a
 * run config and {@code --precision} on {@code isles predict} and {@code isles run}.
 * {@link PrecisionChoice#resolve} turns a requested value into the one a prediction uses.
 */
public enum Precision {
  /** float32 everywhere. */
  FP32,
  /** Convolutions in bfloat16 on float32 inputs (see {@link Bfloat16Network}); everything around them float32. */
  BF16,
  /** Not built: refused when requested. */
  INT8,
  /** The fastest of the built ones that meets the accuracy bound on this CPU (see {@link PrecisionChoice#resolve}). */
  AUTO;

  /** The value the config files and command lines spell. */
  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** {@code fp32}, {@code bf16}, {@code int8} or {@code auto}, any case. */
  @JsonCreator
  public static Precision parse(String text) {
    for (Precision precision : values()) {
      if (precision.id().equalsIgnoreCase(text == null ? "" : text.strip())) {
        return precision;
      }
    }
    throw new IllegalArgumentException("precision must be fp32, bf16, int8 or auto, got '" + text + "'");
  }
}

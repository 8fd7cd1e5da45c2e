package org.isles.model.unet;

import ai.djl.ndarray.NDArray;

/**
 * Keeps temporaries of a forward pass in the caller's per-iteration manager. An NDArray result
 * belongs to the manager of its first operand, so an array computed from a parameter alone (a
 * tiled scale, a reshaped bias) would land in the model's manager and live, and pile up, as long
 * as the model does.
 */
final class IterationScope {
  private IterationScope() {}

  /** Moves {@code derivedFromParameter} to the manager of {@code input} and returns it. */
  static NDArray sameScopeAs(NDArray input, NDArray derivedFromParameter) {
    derivedFromParameter.attach(input.getManager());
    return derivedFromParameter;
  }
}

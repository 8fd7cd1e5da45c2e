package org.isles.model.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Number operands of recorded (differentiated) arithmetic as tensors that torch allocates.
 *
 * <p>DJL turns the number in {@code x.mul(2)} into a tensor over a Java buffer that torch only
 * borrows, and closes it when the operation returns; torch keeps the tensor for the backward
 * pass (a product's gradient needs the other factor), so a garbage collection between forward
 * and backward frees memory that backward then reads. Every number in a loss therefore goes
 * through {@link #of}.
 */
final class TorchScalar {
  private TorchScalar() {}

  /** A 0-d tensor holding {@code value}, with {@code like}'s manager and data type. */
  static NDArray of(NDArray like, double value) {
    return like.getManager().full(new Shape(), (float) value, like.getDataType());
  }
}

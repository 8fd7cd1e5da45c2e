package org.isles.model.training;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Gradient recording on the PyTorch engine, one trainer per thread.
 *
 * <p>DJL's {@code GradientCollector} refuses a second collector anywhere in the JVM ("only one can
 * be collecting at a time"), which would serialise models trained side by side in Flink task
 * slots of one JVM. Torch's grad mode is thread-local, so each training thread switches it on for
 * itself and back-propagates directly.
 */
public final class Autograd implements AutoCloseable {
  private final boolean previous;

  private Autograd(boolean enabled) {
    previous = JniUtils.isGradMode();
    JniUtils.setGradMode(enabled);
  }

  /** Records operations of this thread for back-propagation until closed. */
  public static Autograd recording() {
    return new Autograd(true);
  }

  /** Stops recording on this thread until closed (inference needs no graph). */
  public static Autograd paused() {
    return new Autograd(false);
  }

  /** Accumulates d loss / d parameter into each parameter's gradient; {@code loss} is a scalar. */
  public static void backward(NDArray loss) {
    try (NDArray seed = loss.onesLike()) {
      JniUtils.backward((PtNDArray) loss, (PtNDArray) seed, false, false);
    }
  }

  @Override
  public void close() {
    JniUtils.setGradMode(previous);
  }
}

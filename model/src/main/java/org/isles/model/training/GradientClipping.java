package org.isles.model.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;

/**
 * Scales all gradients together so their global L2 norm is at most a limit, as
 * {@code torch.nn.utils.clip_grad_norm_} does (nnU-Net clips at 12): one bad patch cannot throw
 * the weights far, which at batch 1 otherwise can collapse a run to predicting nothing.
 */
public final class GradientClipping {
  public static final float DEFAULT_MAX_NORM = 12f;

  private GradientClipping() {}

  /** Clips in place and returns the norm before clipping (not finite if a gradient is not). */
  public static double clip(Iterable<Pair<String, Parameter>> parameters, float maxNorm) {
    try (NDScope scope = new NDScope(); Autograd notRecorded = Autograd.paused()) {
      double squares = 0;
      for (Pair<String, Parameter> named : parameters) {
        NDArray weight = named.getValue().getArray();
        if (weight.hasGradient()) {
          // Summed in double: squares of exploding float32 gradients overflow float long before the norm does.
          squares += weight.getGradient().toType(ai.djl.ndarray.types.DataType.FLOAT64, false).square().sum().getDouble();
        }
      }
      double norm = Math.sqrt(squares);
      if (Double.isFinite(norm) && norm > maxNorm) {
        float scale = (float) (maxNorm / (norm + 1e-6));
        for (Pair<String, Parameter> named : parameters) {
          NDArray weight = named.getValue().getArray();
          if (weight.hasGradient()) {
            weight.getGradient().muli(scale);
          }
        }
      }
      return norm;
    }
  }

  /**
   * Sets every gradient to exactly 0, infinite and NaN entries included (subtracting a gradient
   * from itself would leave NaN where it is infinite), so a skipped update leaves nothing behind.
   * Zeroed in place by torch: {@code NDArray.set(buffer)} would make the gradient borrow a Java
   * buffer that is freed with its temporary wrapper while torch goes on accumulating into it.
   */
  public static void discard(Iterable<Pair<String, Parameter>> parameters) {
    for (Pair<String, Parameter> named : parameters) {
      NDArray weight = named.getValue().getArray();
      if (weight.hasGradient()) {
        JniUtils.zeroGrad((PtNDArray) weight);
      }
    }
  }
}

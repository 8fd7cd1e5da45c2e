package org.isles.model.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * Soft Dice loss on logits for one foreground class:
 * {@code 1 - (2 sum(p g) + eps) / (sum(p) + sum(g) + eps)} with {@code p = sigmoid(logit)}, summed
 * over the whole batch at once ("batch Dice"), so a patch without lesion does not get its own
 * ill-defined score. The smoothing epsilon keeps the empty-label, empty-prediction case at 0.
 *
 * <p>Labels and predictions have the same shape; labels are 0/1 floats.
 */
public final class SoftDiceLoss extends Loss {
  public static final float DEFAULT_SMOOTHING = 1e-5f;

  private final float smoothing;

  public SoftDiceLoss(float smoothing) {
    super("SoftDiceLoss");
    if (!(smoothing >= 0)) {
      throw new IllegalArgumentException("Dice smoothing must be >= 0, got " + smoothing);
    }
    this.smoothing = smoothing;
  }

  public SoftDiceLoss() {
    this(DEFAULT_SMOOTHING);
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    NDArray target = labels.singletonOrThrow();
    NDArray probability = predictions.singletonOrThrow().getNDArrayInternal().sigmoid();
    NDArray intersection = probability.mul(target).sum();
    NDArray total = probability.sum().add(target.sum());
    NDArray epsilon = TorchScalar.of(total, smoothing);
    NDArray index = intersection.mul(TorchScalar.of(total, 2)).add(epsilon).div(total.add(epsilon));
    return TorchScalar.of(total, 1).sub(index);
  }
}

package org.isles.model.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * Binary cross-entropy on logits, averaged over all voxels, like
 * {@code torch.nn.BCEWithLogitsLoss(pos_weight=w)}:
 * {@code mean(-(w g log sigmoid(x) + (1 - g) log(1 - sigmoid(x))))}. A positive weight above 1
 * trades precision for recall on small lesions.
 */
public final class BceWithLogitsLoss extends Loss {
  private final float positiveWeight;

  public BceWithLogitsLoss(float positiveWeight) {
    super("BceWithLogitsLoss");
    if (!(positiveWeight > 0)) {
      throw new IllegalArgumentException("BCE positive weight must be > 0, got " + positiveWeight);
    }
    this.positiveWeight = positiveWeight;
  }

  public BceWithLogitsLoss() {
    this(1f);
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    NDArray target = labels.singletonOrThrow();
    NDArray logit = predictions.singletonOrThrow();
    // -log sigmoid(x) = log(1 + exp(-|x|)) + max(-x, 0), stable for large |x|
    NDArray one = TorchScalar.of(logit, 1);
    NDArray minusLogSigmoid = logit.abs().neg().exp().add(one).log().add(logit.neg().maximum(TorchScalar.of(logit, 0)));
    // -log(1 - sigmoid(x)) = x - log sigmoid(x)
    NDArray positive = target.mul(TorchScalar.of(logit, positiveWeight)).mul(minusLogSigmoid);
    NDArray negative = one.sub(target).mul(logit.add(minusLogSigmoid));
    return positive.add(negative).mean();
  }
}

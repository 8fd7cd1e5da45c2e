package org.isles.model.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * (Focal) Tversky loss on logits, summed over the whole batch like {@link SoftDiceLoss}:
 * {@code TI = (TP + eps) / (TP + alpha FP + beta FN + eps)} with soft counts from
 * {@code p = sigmoid(logit)}, loss {@code (1 - TI)^gamma}.
 *
 * <p>alpha weighs false positives, beta false negatives (Salehi et al. 2017); beta > alpha favours
 * recall. gamma = 1 is the plain Tversky loss; gamma < 1 (0.75 in Abraham and Khan 2019, who write
 * it as 1/gamma with gamma = 4/3) is the focal variant that keeps pushing on hard, small lesions.
 * alpha = beta = 0.5, gamma = 1 is soft Dice.
 */
public final class TverskyLoss extends Loss {
  public static final float DEFAULT_ALPHA = 0.3f;
  public static final float DEFAULT_BETA = 0.7f;

  private final float alpha;
  private final float beta;
  private final float gamma;
  private final float smoothing;

  public TverskyLoss(float alpha, float beta, float gamma, float smoothing) {
    super("TverskyLoss");
    if (!(alpha >= 0 && beta >= 0 && alpha + beta > 0 && gamma > 0 && smoothing >= 0)) {
      throw new IllegalArgumentException("Tversky needs alpha, beta >= 0 (not both 0), gamma > 0, smoothing >= 0; got alpha="
          + alpha + " beta=" + beta + " gamma=" + gamma + " smoothing=" + smoothing);
    }
    this.alpha = alpha;
    this.beta = beta;
    this.gamma = gamma;
    this.smoothing = smoothing;
  }

  /** Plain Tversky with the default recall-favouring weights. */
  public TverskyLoss() {
    this(DEFAULT_ALPHA, DEFAULT_BETA, 1f, SoftDiceLoss.DEFAULT_SMOOTHING);
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    NDArray target = labels.singletonOrThrow();
    NDArray probability = predictions.singletonOrThrow().getNDArrayInternal().sigmoid();
    NDArray truePositive = probability.mul(target).sum();
    NDArray falsePositive = probability.sum().sub(truePositive);
    NDArray falseNegative = target.sum().sub(truePositive);
    NDArray epsilon = TorchScalar.of(truePositive, smoothing);
    NDArray denominator = truePositive.add(falsePositive.mul(TorchScalar.of(truePositive, alpha)))
        .add(falseNegative.mul(TorchScalar.of(truePositive, beta))).add(epsilon);
    NDArray index = truePositive.add(epsilon).div(denominator);
    NDArray loss = TorchScalar.of(truePositive, 1).sub(index);
    return gamma == 1f ? loss : loss.pow(TorchScalar.of(truePositive, gamma));
  }
}

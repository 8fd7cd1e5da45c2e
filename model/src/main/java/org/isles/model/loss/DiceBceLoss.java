package org.isles.model.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * The training loss: {@code overlapWeight * overlap + bceWeight * BCE}, where the overlap term is
 * {@link SoftDiceLoss} (the recipe) or {@link TverskyLoss} (recall-oriented option).
 */
public final class DiceBceLoss extends Loss {
  private final Loss overlap;
  private final float overlapWeight;
  private final BceWithLogitsLoss bce;
  private final float bceWeight;

  public DiceBceLoss(Loss overlap, float overlapWeight, BceWithLogitsLoss bce, float bceWeight) {
    super("DiceBceLoss");
    if (!(overlapWeight >= 0 && bceWeight >= 0 && overlapWeight + bceWeight > 0)) {
      throw new IllegalArgumentException("Dice+BCE term weights must be >= 0 and not both 0, got "
          + overlapWeight + " and " + bceWeight);
    }
    this.overlap = overlap;
    this.overlapWeight = overlapWeight;
    this.bce = bce;
    this.bceWeight = bceWeight;
  }

  /** Soft Dice (default smoothing) + unweighted BCE, 1:1. */
  public DiceBceLoss() {
    this(new SoftDiceLoss(), 1f, new BceWithLogitsLoss(), 1f);
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    NDArray overlapTerm = overlap.evaluate(labels, predictions);
    NDArray bceTerm = bce.evaluate(labels, predictions);
    return overlapTerm.mul(TorchScalar.of(overlapTerm, overlapWeight)).add(bceTerm.mul(TorchScalar.of(bceTerm, bceWeight)));
  }
}

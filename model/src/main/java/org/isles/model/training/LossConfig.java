package org.isles.model.training;

import ai.djl.training.loss.Loss;
import java.io.Serializable;
import org.isles.model.loss.BceWithLogitsLoss;
import org.isles.model.loss.DiceBceLoss;
import org.isles.model.loss.SoftDiceLoss;
import org.isles.model.loss.TverskyLoss;

/**
 * The training loss: an overlap term (soft Dice, or (focal) Tversky to push recall on small
 * lesions) plus BCE with an optional positive-class weight.
 *
 * @param overlap "dice" or "tversky"
 * @param overlapWeight weight of the overlap term (1 in the recipe)
 * @param bceWeight weight of the BCE term (1 in the recipe)
 * @param bcePositiveWeight BCE weight of lesion voxels (1 = unweighted)
 * @param tverskyAlpha Tversky false-positive weight (ignored for dice)
 * @param tverskyBeta Tversky false-negative weight (ignored for dice)
 * @param tverskyGamma focal exponent, 1 = plain Tversky (ignored for dice)
 */
public record LossConfig(
    String overlap,
    double overlapWeight,
    double bceWeight,
    double bcePositiveWeight,
    double tverskyAlpha,
    double tverskyBeta,
    double tverskyGamma) implements Serializable {
  public static final String DICE = "dice";
  public static final String TVERSKY = "tversky";

  public LossConfig {
    TrainingConfig.require(DICE.equals(overlap) || TVERSKY.equals(overlap),
        "loss.overlap must be '" + DICE + "' or '" + TVERSKY + "', got '" + overlap + "'");
  }

  /** The recipe: soft Dice + BCE, 1:1. */
  public static LossConfig recipe() {
    return new LossConfig(DICE, 1, 1, 1, 0.3, 0.7, 1);
  }

  public Loss build() {
    Loss overlapLoss = DICE.equals(overlap)
        ? new SoftDiceLoss()
        : new TverskyLoss((float) tverskyAlpha, (float) tverskyBeta, (float) tverskyGamma, SoftDiceLoss.DEFAULT_SMOOTHING);
    return new DiceBceLoss(overlapLoss, (float) overlapWeight, new BceWithLogitsLoss((float) bcePositiveWeight), (float) bceWeight);
  }

}

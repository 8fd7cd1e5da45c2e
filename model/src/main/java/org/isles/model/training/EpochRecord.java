package org.isles.model.training;

import java.util.List;

/**
 * One line of the training log.
 *
 * @param epoch 1-based epoch number
 * @param trainLoss mean training loss over the epoch's iterations
 * @param valDice mean whole-volume validation Dice at threshold 0.5, or null when not validated
 * @param learningRate learning rate of the epoch's first update
 * @param seconds wall time of the epoch, validation included
 * @param dataWaitFraction share of the epoch spent waiting for training patches
 */
public record EpochRecord(int epoch, double trainLoss, Double valDice, double learningRate, double seconds,
    double dataWaitFraction) {
  public static final List<String> CSV_HEADER = List.of("epoch", "train_loss", "val_dice", "lr", "seconds", "data_wait_fraction");

  /** The CSV row in {@link #CSV_HEADER} order; an epoch without validation has an empty val_dice. */
  public List<Object> csvRow() {
    return List.of(epoch, trainLoss, valDice == null ? Double.NaN : valDice, learningRate, seconds, dataWaitFraction);
  }
}

package org.isles.model.training;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a run stands after an epoch; with the parameters and the optimizer moments it is all a
 * resumed run needs. There is no random-generator state to keep: every training sample is a pure
 * function of (seed, epoch, iteration), so the seed and {@code epochsDone} fix the rest of the
 * sample stream, and the learning-rate schedule's position is {@code updates}.
 *
 * @param seed the job's seed (weights, sampling and augmentation)
 * @param epochsDone completed epochs
 * @param updates optimizer updates done (the schedule position)
 * @param bestDice best validation Dice so far, or null before the first validation
 * @param bestEpoch epoch of {@code bestDice} (0 before the first validation)
 * @param stoppedEarly whether patience ran out
 * @param history the log, one record per completed epoch
 */
public record TrainingState(long seed, int epochsDone, int updates, Double bestDice, int bestEpoch, boolean stoppedEarly,
    List<EpochRecord> history) {

  public TrainingState {
    history = List.copyOf(history);
  }

  public static TrainingState start(long seed) {
    return new TrainingState(seed, 0, 0, null, 0, false, List.of());
  }

  /** The state after one more epoch. */
  public TrainingState after(EpochRecord epoch, int updatesDone, int patience) {
    boolean improved = epoch.valDice() != null && (bestDice == null || epoch.valDice() > bestDice);
    Double newBest = improved ? epoch.valDice() : bestDice;
    int newBestEpoch = improved ? epoch.epoch() : bestEpoch;
    boolean outOfPatience = newBest != null && epoch.epoch() - newBestEpoch >= patience;
    List<EpochRecord> log = new ArrayList<>(history);
    log.add(epoch);
    return new TrainingState(seed, epoch.epoch(), updatesDone, newBest, newBestEpoch, outOfPatience, log);
  }

  /** Whether the last completed epoch set a new best validation Dice. */
  public boolean lastEpochIsBest() {
    return bestEpoch > 0 && bestEpoch == epochsDone;
  }
}

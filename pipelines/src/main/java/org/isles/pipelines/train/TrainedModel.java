package org.isles.pipelines.train;

import java.io.Serializable;

/**
 * What one training job produced, also written as {@value org.isles.pipelines.RunLayout#JOB_OUTCOME} into its directory.
 *
 * @param bestDice best validation Dice, or null if never validated
 * @param startedMillis wall-clock start (epoch milliseconds), to see which jobs ran side by side
 * @param finishedMillis wall-clock end
 */
public record TrainedModel(int fold, int seed, String dir, int epochsDone, Double bestDice, int bestEpoch,
    boolean stoppedEarly, long startedMillis, long finishedMillis) implements Serializable {
}

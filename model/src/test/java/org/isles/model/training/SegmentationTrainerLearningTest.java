package org.isles.model.training;

import org.isles.augment.AugmentationConfig;
import org.isles.model.inference.Precision;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.isles.io.Json;
import org.isles.model.run.ModelFolder;
import org.isles.sampling.TrainingCase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole training loop learns: synthetic lesions, whole-volume validation Dice at threshold 0.5. */
class SegmentationTrainerLearningTest {
  static final TrainingConfig LEARNING = new TrainingConfig(
      "learning-test", new double[] {2, 2, 2}, new int[] {32, 32, 32}, 16, 3,
      4, 20, 2, 3e-3, 1e-5, 0.5, AugmentationConfig.none(), LossConfig.recipe(), 2, 10,
      new int[] {32, 32, 32}, 0.5, 0, 1, 1, Precision.AUTO, 0);

  @TempDir Path run;

  @Test
  void reachesValidationDiceOfAtLeast0point6() throws java.io.IOException {
    List<TrainingCase> train = BlobCases.cases(8, 40, 1);
    List<TrainingCase> val = BlobCases.cases(3, 40, 2);
    SegmentationTrainer trainer = new SegmentationTrainer(LEARNING, 0, run, "learning", System.err::println);

    SegmentationTrainer.Outcome outcome = trainer.train(train, val, new SegmentationTrainer.Start.Fresh());

    assertEquals(4, outcome.epochsDone());
    assertTrue(outcome.bestDice() >= 0.6, "best validation Dice " + outcome.bestDice());
    List<?> log = Json.read(run.resolve(ModelFolder.TRAINING_LOG_JSON), List.class);
    assertEquals(4, log.size());
    assertTrue(Files.size(run.resolve(ModelFolder.TRAINING_CURVE)) > 0);
    assertTrue(Checkpoint.exists(run.resolve(ModelFolder.BEST)));
    assertTrue(Checkpoint.exists(run.resolve(ModelFolder.LAST)));
  }
}

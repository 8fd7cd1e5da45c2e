package org.isles.model.training;

import org.isles.augment.AugmentationConfig;
import org.isles.model.inference.Precision;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.isles.io.Json;
import org.isles.model.OfflinePyTorch;
import org.isles.model.run.ModelFolder;
import org.isles.model.unet.UNet3d;
import org.isles.sampling.TrainingCase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A run stopped after its first epoch and resumed ends exactly where an uninterrupted run ends:
 * same weights, same AdamW moments, same schedule position and the same second-epoch loss, which
 * needs the restored moments, learning rate and sample stream all to be right; with a moving
 * average of the weights, also the same averages and training weights. Starting from another
 * run's weights (init-from) takes the weights only.
 */
class SegmentationTrainerResumeTest {
  private static final TrainingConfig TINY = tiny(0);

  @TempDir Path work;

  @ParameterizedTest(name = "ema_decay {0}")
  @ValueSource(doubles = {0, 0.9})
  void resumedRunEqualsUninterruptedRun(double emaDecay) throws IOException {
    TrainingConfig config = tiny(emaDecay);
    List<TrainingCase> train = BlobCases.cases(3, 20, 5);
    List<TrainingCase> val = BlobCases.cases(1, 20, 6);
    Path straight = work.resolve("straight");
    Path interrupted = work.resolve("interrupted");
    List<String> straightLines = new ArrayList<>();
    new SegmentationTrainer(config, 3, straight, "straight", straightLines::add)
        .train(train, val, new SegmentationTrainer.Start.Fresh());

    List<String> lines = new ArrayList<>();
    SegmentationTrainer.Outcome stopped = trainStoppingAfterFirstEpoch(config, interrupted, train, val, lines);
    assertEquals(1, stopped.epochsDone());
    TrainingState afterStop = Json.read(interrupted.resolve(ModelFolder.LAST).resolve(ModelFolder.STATE), TrainingState.class);
    assertEquals(TINY.iterationsPerEpoch(), afterStop.updates());
    assertNotEquals(afterStop.updates(), Json.read(straight.resolve(ModelFolder.LAST).resolve(ModelFolder.STATE), TrainingState.class).updates(),
        "the stopped run is behind the uninterrupted one");

    SegmentationTrainer.Outcome resumed = new SegmentationTrainer(config, 3, interrupted, "resumed", lines::add)
        .train(train, val, new SegmentationTrainer.Start.Resume());

    assertEquals(2, resumed.epochsDone());
    assertTrue(lines.stream().anyMatch(l -> l.contains("resuming after epoch 1 (update 3)")), lines.toString());
    TrainingState expected = Json.read(straight.resolve(ModelFolder.LAST).resolve(ModelFolder.STATE), TrainingState.class);
    TrainingState actual = Json.read(interrupted.resolve(ModelFolder.LAST).resolve(ModelFolder.STATE), TrainingState.class);
    assertEquals(expected.updates(), actual.updates());
    for (int e = 0; e < 2; e++) {
      assertEquals(expected.history().get(e).learningRate(), actual.history().get(e).learningRate());
      assertEquals(expected.history().get(e).trainLoss(), actual.history().get(e).trainLoss(), 1e-6);
      assertEquals(expected.history().get(e).valDice(), actual.history().get(e).valDice(), 1e-6);
    }
    List<float[]> expectedWeights = readParameters(straight.resolve(ModelFolder.LAST));
    List<float[]> actualWeights = readParameters(interrupted.resolve(ModelFolder.LAST));
    for (int p = 0; p < expectedWeights.size(); p++) {
      assertArrayEquals(expectedWeights.get(p), actualWeights.get(p), 1e-6f, "parameter " + p);
    }
    try (NDManager manager = OfflinePyTorch.newBaseManager()) {
      NDList expectedMoments = NDList.decode(manager, Files.readAllBytes(straight.resolve(ModelFolder.LAST).resolve(ModelFolder.OPTIMIZER)));
      NDList actualMoments = NDList.decode(manager, Files.readAllBytes(interrupted.resolve(ModelFolder.LAST).resolve(ModelFolder.OPTIMIZER)));
      assertEquals(expectedMoments.size(), actualMoments.size());
      long trainingWeights = expectedMoments.stream().filter(a -> a.getName().startsWith(WeightAverage.TRAINING_WEIGHT)).count();
      assertEquals(emaDecay > 0 ? expectedWeights.size() : 0, trainingWeights,
          "the training weights are kept beside the moments when the parameters are averages");
      for (int m = 0; m < expectedMoments.size(); m++) {
        assertEquals(expectedMoments.get(m).getName(), actualMoments.get(m).getName());
        assertArrayEquals(expectedMoments.get(m).toFloatArray(), actualMoments.get(m).toFloatArray(), 1e-7f,
            expectedMoments.get(m).getName());
      }
    }

    // Weights only: the same first sample scores differently with the trained weights, and the
    // optimizer and schedule start again from update 0.
    List<String> initLines = new ArrayList<>();
    new SegmentationTrainer(config, 3, work.resolve("init"), "init", initLines::add)
        .train(train, val, new SegmentationTrainer.Start.InitFrom(straight.resolve(ModelFolder.LAST)));
    TrainingState initialised = Json.read(work.resolve("init").resolve(ModelFolder.LAST).resolve(ModelFolder.STATE), TrainingState.class);
    assertEquals(TINY.plannedIterations(), initialised.updates());
    assertEquals(TINY.learningRate(), initialised.history().get(0).learningRate(), 1e-9);
    assertNotEquals(firstLoss(straightLines), firstLoss(initLines));
  }

  @Test
  void resumesFromAStateWrittenBeforeTheSnakeCaseRule() throws IOException {
    List<TrainingCase> train = BlobCases.cases(3, 20, 5);
    List<TrainingCase> val = BlobCases.cases(1, 20, 6);
    Path straight = work.resolve("straight");
    new SegmentationTrainer(TINY, 3, straight, "straight", line -> {}).train(train, val, new SegmentationTrainer.Start.Fresh());
    Path old = work.resolve("old");
    trainStoppingAfterFirstEpoch(TINY, old, train, val, new ArrayList<>());
    Path stateFile = old.resolve(ModelFolder.LAST).resolve(ModelFolder.STATE);
    String written = Files.readString(stateFile);
    assertTrue(written.contains("\"epochs_done\"") && written.contains("\"data_wait_fraction\"") && !written.contains("epochsDone"),
        written);

    // The same state as a run made before the rule wrote it: camelCase keys.
    TrainingState stopped = Json.read(stateFile, TrainingState.class);
    EpochRecord epoch = stopped.history().get(0);
    Files.writeString(stateFile, "{\n"
        + "  \"seed\" : " + stopped.seed() + ",\n"
        + "  \"epochsDone\" : " + stopped.epochsDone() + ",\n"
        + "  \"updates\" : " + stopped.updates() + ",\n"
        + "  \"bestDice\" : " + stopped.bestDice() + ",\n"
        + "  \"bestEpoch\" : " + stopped.bestEpoch() + ",\n"
        + "  \"stoppedEarly\" : " + stopped.stoppedEarly() + ",\n"
        + "  \"history\" : [ {\n"
        + "    \"epoch\" : " + epoch.epoch() + ",\n"
        + "    \"trainLoss\" : " + epoch.trainLoss() + ",\n"
        + "    \"valDice\" : " + epoch.valDice() + ",\n"
        + "    \"learningRate\" : " + epoch.learningRate() + ",\n"
        + "    \"seconds\" : " + epoch.seconds() + ",\n"
        + "    \"dataWaitFraction\" : " + epoch.dataWaitFraction() + "\n"
        + "  } ]\n"
        + "}\n");
    assertEquals(stopped, Json.read(stateFile, TrainingState.class), "the camelCase state reads as the snake_case one");

    List<String> lines = new ArrayList<>();
    SegmentationTrainer.Outcome resumed = new SegmentationTrainer(TINY, 3, old, "resumed", lines::add)
        .train(train, val, new SegmentationTrainer.Start.Resume());
    assertEquals(2, resumed.epochsDone());
    assertTrue(lines.stream().anyMatch(l -> l.contains("resuming after epoch 1 (update 3)")), lines.toString());
    TrainingState expected = Json.read(straight.resolve(ModelFolder.LAST).resolve(ModelFolder.STATE), TrainingState.class);
    TrainingState actual = Json.read(stateFile, TrainingState.class);
    assertEquals(expected.updates(), actual.updates());
    assertEquals(expected.history().get(1).trainLoss(), actual.history().get(1).trainLoss(), 1e-6);
    assertEquals(epoch, actual.history().get(0), "the first epoch is carried over from the old state");
  }

  /** The loss printed for the first iteration ("... iteration 1/3 loss 1.2345 ..."). */
  private static float firstLoss(List<String> lines) {
    String line = lines.stream().filter(l -> l.contains("epoch 1/2 iteration 1/")).findFirst().orElseThrow();
    return Float.parseFloat(line.replaceAll(".* loss (\\S+) .*", "$1"));
  }

  /** Stops where a Ctrl-C between epochs would: the "epoch done" line comes after the epoch's checkpoint. */
  private static SegmentationTrainer.Outcome trainStoppingAfterFirstEpoch(TrainingConfig config, Path dir,
      List<TrainingCase> train, List<TrainingCase> val, List<String> lines) {
    AtomicReference<SegmentationTrainer> trainer = new AtomicReference<>();
    trainer.set(new SegmentationTrainer(config, 3, dir, "first", line -> {
      lines.add(line);
      if (line.contains("epoch 1/2 done")) {
        trainer.get().requestStop();
      }
    }));
    return trainer.get().train(train, val, new SegmentationTrainer.Start.Fresh());
  }

  private static TrainingConfig tiny(double emaDecay) {
    return new TrainingConfig("resume-test", new double[] {2, 2, 2}, new int[] {16, 16, 16}, 4, 2,
        2, 3, 2, 1e-2, 1e-5, 0.5, AugmentationConfig.defaults(), LossConfig.recipe(), 1, 5,
        new int[] {16, 16, 16}, 0, 3, 1, 1, Precision.AUTO, emaDecay);
  }

  private static List<float[]> readParameters(Path checkpoint) {
    try (NDManager manager = OfflinePyTorch.newBaseManager()) {
      UNet3d network = UNet3d.builder().setBaseChannels(TINY.baseChannels()).optDepth(TINY.depth()).build();
      network.initialize(manager, DataType.FLOAT32, network.inputShape(1, TINY.patchSize()));
      Checkpoint.loadParameters(checkpoint.resolve(ModelFolder.PARAMETERS), network, manager);
      List<float[]> values = new ArrayList<>();
      for (Pair<String, Parameter> parameter : network.getParameters()) {
        values.add(parameter.getValue().getArray().toFloatArray());
      }
      return values;
    }
  }
}

package org.isles.pipelines.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.isles.cli.IslesCli;
import org.isles.dataset.CaseDiscovery;
import org.isles.dataset.ProcessedStore;
import org.isles.io.Json;
import org.isles.model.run.ModelFolder;
import org.isles.model.run.RunRecipe;
import org.isles.model.run.TrainedRun;
import org.isles.model.training.Checkpoint;
import org.isles.model.training.TrainingState;
import org.isles.pipelines.OutputFolder;
import org.isles.pipelines.RunLayout;
import org.isles.preprocess.CasePreprocessor;
import org.isles.preprocess.PreprocessingSettings;
import org.isles.schemas.CaseRecord;
import org.isles.split.CrossValidationSplit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** isles split and isles train end to end on small synthetic cases: two models side by side on Flink, then a resume. */
class TrainPipelineTest {
  private static final String TINY_CONFIG = """
      name: tiny
      spacing_mm: [4.0, 4.0, 4.0]
      patch_size: [16, 16, 16]
      base_channels: 4
      depth: 2
      epochs: %d
      iterations_per_epoch: 2
      batch_size: 1
      learning_rate: 1.0e-2
      weight_decay: 1.0e-5
      foreground_ratio: 0.5
      augmentation: true
      loss: {overlap: dice, overlap_weight: 1.0, bce_weight: 1.0, bce_positive_weight: 1.0,
             tversky_alpha: 0.3, tversky_beta: 0.7, tversky_gamma: 1.0}
      validate_every: 1
      patience: 5
      val_patch_size: [16, 16, 16]
      val_overlap: 0.0
      seed: 0
      threads: 1
      loader_threads: 1
      """;

  @TempDir static Path dir;
  static Path processed;
  static Path splits;

  @BeforeAll
  static void preprocessSyntheticCasesAndSplit() {
    Path input = dir.resolve("synth");
    assertEquals(0, IslesCli.execute("synth", "--out", input.toString(), "--cases", "6", "--seed", "3"));
    processed = dir.resolve("processed");
    CasePreprocessor preprocessor = new CasePreprocessor(PreprocessingSettings.spacing(new double[] {4, 4, 4}));
    for (CaseRecord record : CaseDiscovery.discover(input)) {
      preprocessor.process(record, processed);
    }
    splits = dir.resolve("splits.json");
    assertEquals(0, IslesCli.execute("split", "--processed", processed.toString(), "--out", splits.toString(),
        "--folds", "2", "--test-fraction", "0.34", "--seed", "1"));
  }

  @Test
  void splitHoldsOutTestCasesAndFoldsTheRest() {
    CrossValidationSplit split = CrossValidationSplit.read(splits);
    assertEquals(2, split.test().size());
    assertEquals(2, split.folds().size());
    assertEquals(4, split.fold(0).train().size() + split.fold(0).val().size());
  }

  @Test
  void flinkTrainsTwoModelsSideBySideAndResumeFinishesThem() throws IOException {
    Path run = dir.resolve("runs").resolve("tiny");
    Path config = writeConfig("tiny-1-epoch.yaml", 1);
    assertEquals(0, IslesCli.execute("train", "--config", config.toString(), "--processed", processed.toString(),
        "--splits", splits.toString(), "--out", run.toString(), "--folds", "1", "--seeds", "0,1",
        "--runner", "FlinkRunner", "--parallelism", "2"));

    List<?> summary = Json.read(RunLayout.trainingSummary(run), List.class);
    assertEquals(2, summary.size());
    assertEquals(List.of(), Json.read(RunLayout.failures(run), List.class));
    Map<?, ?> first = (Map<?, ?>) summary.get(0);
    Map<?, ?> second = (Map<?, ?>) summary.get(1);
    assertTrue(((Number) first.get("started_millis")).longValue() < ((Number) second.get("finished_millis")).longValue()
            && ((Number) second.get("started_millis")).longValue() < ((Number) first.get("finished_millis")).longValue(),
        "the two jobs ran at the same time: " + summary);
    for (int seed = 0; seed < 2; seed++) {
      Path job = run.resolve("fold_1").resolve("seed_" + seed);
      for (String file : List.of(RunLayout.JOB_CONFIG, RunLayout.JOB_PLAN, RunLayout.JOB_OUTCOME, ModelFolder.TRAINING_LOG_CSV, ModelFolder.TRAINING_LOG_JSON,
          ModelFolder.TRAINING_CURVE)) {
        assertTrue(Files.isRegularFile(job.resolve(file)), job.resolve(file) + " exists");
      }
      assertTrue(Checkpoint.exists(job.resolve(ModelFolder.BEST)));
      assertEquals(1, lastState(job).epochsDone());
    }
    assertTrue(!Files.readString(run.resolve("fold_1/seed_0/" + ModelFolder.TRAINING_LOG_CSV))
        .equals(Files.readString(run.resolve("fold_1/seed_1/" + ModelFolder.TRAINING_LOG_CSV))), "seeds give different runs");

    // The run as isles laid it out before the recipe and the training summary were renamed.
    RunRecipe recipe = RunRecipe.read(run);
    Files.move(run.resolve(ModelFolder.RECIPE), run.resolve("run.json"));
    Files.move(RunLayout.trainingSummary(run), run.resolve("summary.json"));
    assertEquals(recipe, TrainedRun.open(run).recipe(), "inference reads the old run's recipe");

    Path twoEpochs = writeConfig("tiny-2-epochs.yaml", 2);
    assertEquals(0, IslesCli.execute("train", "--config", twoEpochs.toString(), "--processed", processed.toString(),
        "--splits", splits.toString(), "--out", run.toString(), "--folds", "1", "--seeds", "0", "--resume"));
    TrainingState resumed = lastState(run.resolve("fold_1").resolve("seed_0"));
    assertEquals(2, resumed.epochsDone());
    assertEquals(4, resumed.updates());
    assertTrue(Json.read(RunLayout.jobPlan(run.resolve("fold_1/seed_0")), Map.class).get("start").toString().contains("Resume"));
    assertEquals(recipe, RunRecipe.read(run), "the resumed run records its recipe under the new name");
    assertTrue(Files.isRegularFile(run.resolve(ModelFolder.RECIPE)) && Files.isRegularFile(RunLayout.trainingSummary(run)));
  }

  @Test
  void casesReadOnDemandTrainTheSameModelAsCasesInMemory() throws IOException {
    Path config = writeConfig("tiny-2-epochs-cache.yaml", 2);
    Path inMemory = dir.resolve("runs").resolve("in-memory");
    Path onDemand = dir.resolve("runs").resolve("on-demand");
    for (String[] run : List.of(new String[] {inMemory.toString(), "0"}, new String[] {onDemand.toString(), "1"})) {
      assertEquals(0, IslesCli.execute("train", "--config", config.toString(), "--processed", processed.toString(),
          "--splits", splits.toString(), "--out", run[0], "--folds", "0", "--cached-cases", run[1]));
    }
    Path job = Path.of("fold_0", "seed_0", ModelFolder.LAST, ModelFolder.PARAMETERS);
    assertArrayEquals(Files.readAllBytes(inMemory.resolve(job)), Files.readAllBytes(onDemand.resolve(job)),
        "a cache of one case gives the weights of a run with every case in memory");
  }

  @Test
  void aJobThatFailsIsReportedAndTheCommandSaysSo() throws IOException {
    Path broken = dir.resolve("processed-broken");
    try (Stream<Path> files = Files.walk(processed)) {
      for (Path file : files.toList()) {
        Files.copy(file, broken.resolve(processed.relativize(file).toString()));
      }
    }
    String valCase = CrossValidationSplit.read(splits).fold(0).val().get(0);
    Files.delete(new ProcessedStore(broken).caseAvro(valCase));
    Path run = dir.resolve("runs").resolve("broken");

    int exit = IslesCli.execute("train", "--config", writeConfig("tiny-broken.yaml", 1).toString(), "--processed", broken.toString(),
        "--splits", splits.toString(), "--out", run.toString(), "--folds", "0");

    assertEquals(1, exit, "the exit status says a job failed");
    List<?> failures = Json.read(RunLayout.failures(run), List.class);
    assertEquals(1, failures.size());
    Map<?, ?> failure = (Map<?, ?>) failures.get(0);
    assertEquals("fold_0/seed_0", failure.get("case_id"));
    assertTrue(failure.get("cause").toString().contains(valCase + "/" + ProcessedStore.CASE_AVRO), failure.toString());
    assertEquals(List.of(), Json.read(RunLayout.trainingSummary(run), List.class));
    assertTrue(OutputFolder.isFinished(run, TrainFolds.PROGRESS, broken));
  }

  @Test
  void onOneMachineModelsTrainedAtOnceShareTheCoresAndThePlanRecordsTheThreadsUsed() throws IOException {
    Path greedy = dir.resolve("tiny-greedy.yaml");
    Files.writeString(greedy, TINY_CONFIG.formatted(1).replace("threads: 1", "threads: 64"));
    int cores = Runtime.getRuntime().availableProcessors();
    Path capped = dir.resolve("runs").resolve("capped");
    assertEquals(0, IslesCli.execute("train", "--config", greedy.toString(), "--processed", processed.toString(),
        "--splits", splits.toString(), "--out", capped.toString(), "--folds", "0,1"));
    // Two models at once on the Direct runner: each gets its share of the cores, not the config's 64.
    int share = Math.max(1, cores / Math.min(2, cores));
    for (int fold = 0; fold < 2; fold++) {
      assertEquals(share, threadsInPlan(capped.resolve("fold_" + fold + "/seed_0")), "fold " + fold + " on " + cores + " cores");
    }
    Path chosen = dir.resolve("runs").resolve("chosen");
    assertEquals(0, IslesCli.execute("train", "--config", greedy.toString(), "--processed", processed.toString(),
        "--splits", splits.toString(), "--out", chosen.toString(), "--folds", "0", "--threads-per-model", "3"));
    assertEquals(3, threadsInPlan(chosen.resolve("fold_0/seed_0")), "--threads-per-model is taken as given");
  }

  private static int threadsInPlan(Path job) {
    return Json.read(RunLayout.jobPlan(job), JobTrainer.Plan.class).threads();
  }

  private static Path writeConfig(String name, int epochs) throws IOException {
    Path config = dir.resolve(name);
    Files.writeString(config, TINY_CONFIG.formatted(epochs));
    return config;
  }

  private static TrainingState lastState(Path job) {
    return Json.read(job.resolve(ModelFolder.LAST).resolve(ModelFolder.STATE), TrainingState.class);
  }
}

package org.isles.pipelines.train;

import org.isles.model.run.ModelFolder;
import org.isles.pipelines.RunLayout;
import org.isles.volume.Grid;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.isles.dataset.ProcessedStore;
import org.isles.io.Json;
import org.isles.model.training.Checkpoint;
import org.isles.model.training.SegmentationTrainer;
import org.isles.model.training.TrainingConfig;
import org.isles.sampling.CachedCases;
import org.isles.sampling.TrainingCase;
import org.isles.schemas.ProcessedCase;
import org.isles.split.CrossValidationSplit;

/**
 * Trains one (fold, seed) job of a run into {@code RUN/fold_<k>/seed_<s>/}, in plain Java: loads
 * the fold's cases, chooses how to start (resume, init-from or fresh), copies the config, writes
 * the job's plan ({@value RunLayout#JOB_PLAN}), trains, and writes the trained-model record ({@value
 * RunLayout#JOB_OUTCOME}).
 */
public final class JobTrainer {

  private final TrainingSettings settings;

  public JobTrainer(TrainingSettings settings) {
    this.settings = settings;
  }

  public TrainedModel train(TrainJob job) {
    long started = System.currentTimeMillis();
    Path run = Path.of(settings.runDir());
    Path dir = job.dir(run);
    ProcessedStore processed = new ProcessedStore(Path.of(settings.processedDir()));
    TrainingConfig config = settings.config();
    CrossValidationSplit.Fold fold = CrossValidationSplit.read(Path.of(settings.splitsFile())).fold(job.fold());
    List<TrainingCase> train = load(processed, fold.train(), config);
    List<TrainingCase> val = load(processed, fold.val(), config);
    long seed = config.seed() + job.seed();
    SegmentationTrainer.Start start = start(dir);
    copyConfig(dir);
    Json.write(RunLayout.jobPlan(dir), plan(job, fold, seed, start));
    SegmentationTrainer trainer = new SegmentationTrainer(config, seed, dir, job.toString(), System.err::println);
    SegmentationTrainer.Outcome outcome = trainer.train(train, val, start);
    TrainedModel model = new TrainedModel(job.fold(), job.seed(), dir.toString(), outcome.epochsDone(), outcome.bestDice(),
        outcome.bestEpoch(), outcome.stoppedEarly(), started, System.currentTimeMillis());
    Json.write(RunLayout.jobOutcome(dir), model);
    return model;
  }

  /** --resume continues a job from its last checkpoint; a job that never checkpointed starts afresh. */
  private SegmentationTrainer.Start start(Path dir) {
    if (settings.resume() && Checkpoint.exists(dir.resolve(ModelFolder.LAST))) {
      return new SegmentationTrainer.Start.Resume();
    }
    if (settings.initFrom() != null) {
      return new SegmentationTrainer.Start.InitFrom(Path.of(settings.initFrom()));
    }
    return new SegmentationTrainer.Start.Fresh();
  }

  /** The job's cases, every one in memory or through a cache; spacings are checked up front either way. */
  private List<TrainingCase> load(ProcessedStore processed, List<String> caseIds, TrainingConfig config) {
    Map<String, ProcessedCase> records = new LinkedHashMap<>();
    for (String caseId : caseIds) {
      ProcessedCase record = processed.record(caseId);
      double[] spacing = record.getTargetSpacing().stream().mapToDouble(Double::doubleValue).toArray();
      for (int axis = 0; axis < 3; axis++) {
        if (Math.abs(spacing[axis] - config.spacingMm()[axis]) > Grid.TOLERANCE_MM) {
          throw new IllegalArgumentException("case " + caseId + " in " + processed.root() + " has spacing " + Arrays.toString(spacing)
              + " mm but config " + config.name() + " expects " + Arrays.toString(config.spacingMm()) + " mm");
        }
      }
      records.put(caseId, record);
    }
    Function<String, TrainingCase> read = caseId -> processed.trainingCase(records.get(caseId));
    if (settings.cachedCases() > 0) {
      return new CachedCases(caseIds, read, settings.cachedCases());
    }
    return caseIds.stream().map(read).toList();
  }

  private void copyConfig(Path dir) {
    try {
      Files.createDirectories(dir);
      Files.copy(Path.of(settings.configFile()), RunLayout.jobConfig(dir), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + settings.configFile() + " into " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * plan.json: what a job is about to do.
   *
   * @param effectiveSeed the seed of weights, sampling and augmentation (from the job's seed)
   * @param start fresh, resumed or initialised from another run's weights
   */
  record Plan(int fold, int seed, long effectiveSeed, String start, String config, String processed, String splits, int threads,
      long plannedIterations, List<String> trainCases, List<String> valCases) {}

  private Plan plan(TrainJob job, CrossValidationSplit.Fold fold, long seed, SegmentationTrainer.Start start) {
    TrainingConfig config = settings.config();
    return new Plan(job.fold(), job.seed(), seed, start.toString(), settings.configFile(), settings.processedDir(),
        settings.splitsFile(), config.threads(), config.plannedIterations(), fold.train(), fold.val());
  }
}

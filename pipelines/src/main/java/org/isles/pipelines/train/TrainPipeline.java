package org.isles.pipelines.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.isles.dataset.ProcessedStore;
import org.isles.io.Json;
import org.isles.model.run.RunRecipe;
import org.isles.model.training.TrainingConfig;
import org.isles.pipelines.CaseFailure;
import org.isles.pipelines.OutputFolder;
import org.isles.pipelines.RunLayout;
import org.isles.pipelines.RunnerSettings;
import org.isles.pipelines.StageRun;
import org.isles.pipelines.WriteFailures;
import org.isles.preprocess.CasePreprocessor;
import org.isles.preprocess.PreprocessingSettings;
import org.isles.split.CrossValidationSplit;

/**
 * Trains every (fold, seed) job of a run in parallel: one Beam element per model, so the Direct
 * runner uses its worker threads and Flink its task slots. The runners split the list of jobs
 * over the workers themselves; a random-key reshuffle was tried and could put two jobs on one
 * Flink slot. Writes {@code RUN/training_summary.json} (one entry per trained model) and
 * {@code RUN/failures.json} ({@link RunLayout}).
 */
public final class TrainPipeline {

  private TrainPipeline() {}

  /** The trained models (sorted by fold, seed) and the jobs that failed. */
  public record Outcome(List<TrainedModel> models, List<?> failures) {}

  /** The run folder is {@code settings.runDir()}; its input is the processed-data folder. */
  public static Outcome run(TrainingSettings settings, List<TrainJob> jobs, boolean overwrite, RunnerSettings runner) {
    Path run = Path.of(settings.runDir());
    OutputFolder.Claim claim = new OutputFolder(run, Path.of(settings.processedDir()), overwrite)
        .claim(TrainFolds.PROGRESS, jobs.stream().map(TrainJob::id).toList(), id -> List.of(run.resolve(id)));
    recordForInference(settings, run);
    Pipeline pipeline = Pipeline.create(runner.pipelineOptionsOnePerSlot("isles-train", jobs.size()));
    WithFailures.Result<PCollection<TrainedModel>, CaseFailure> results = pipeline
        .apply("ListJobs", Create.of(jobs).withCoder(SerializableCoder.of(TrainJob.class)))
        .apply("TrainFolds", new TrainFolds(settings));
    results.failures().apply("WriteFailures", new WriteFailures(RunLayout.failures(run)));
    new StageRun(TrainFolds.PROGRESS, "models", jobs.size()).run(pipeline, runner);
    List<TrainedModel> models = new ArrayList<>();
    for (TrainJob job : jobs) {
      Path outcome = RunLayout.jobOutcome(job.dir(run));
      if (Files.isRegularFile(outcome)) {
        models.add(Json.read(outcome, TrainedModel.class));
      }
    }
    Json.write(RunLayout.trainingSummary(run), models);
    List<?> failures = Json.read(RunLayout.failures(run), List.class);
    claim.finish();
    return new Outcome(models, failures);
  }

  /**
   * Writes what {@code isles predict} reads at the run's top level: the {@link RunRecipe} (network,
   * validation window, the processed cases' preprocessing) and the split with its test cases.
   */
  private static void recordForInference(TrainingSettings settings, Path run) {
    CrossValidationSplit split = CrossValidationSplit.read(Path.of(settings.splitsFile()));
    String anyCase = split.folds().get(0).train().get(0);
    PreprocessingSettings preprocessing = CasePreprocessor.readSettings(new ProcessedStore(Path.of(settings.processedDir())), anyCase);
    TrainingConfig config = settings.config();
    new RunRecipe(config.baseChannels(), config.depth(), config.valPatchSize(), preprocessing).write(run);
    split.write(RunLayout.runSplits(run));
  }
}

package org.isles.pipelines.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.isles.io.Json;
import org.isles.pipelines.Progress;
import org.isles.pipelines.RunnerSettings;
import org.isles.pipelines.WriteFailures;

/**
 * Trains every (fold, seed) job of a run in parallel: one Beam element per model, so the Direct
 * runner uses its worker threads and Flink its task slots. Writes {@code RUN/summary.json} (one
 * entry per trained model) and {@code RUN/failures.json}.
 */
public final class TrainPipeline {
  public static final String SUMMARY_FILE = "summary.json";
  public static final String FAILURES_FILE = "failures.json";

  private TrainPipeline() {}

  /** The trained models (sorted by fold, seed) and the jobs that failed. */
  public record Outcome(List<TrainedModel> models, List<?> failures) {}

  public static Outcome run(TrainingSettings settings, List<TrainJob> jobs, RunnerSettings runner) {
    Path run = Path.of(settings.runDir());
    Pipeline pipeline = Pipeline.create(runner.pipelineOptions("isles-train"));
    PCollectionTuple results = pipeline
        .apply("ListJobs", Create.of(jobs).withCoder(SerializableCoder.of(TrainJob.class)))
        .apply("SpreadOverWorkers", Reshuffle.viaRandomKey())
        .apply("TrainFolds", new TrainFolds(settings));
    results.get(TrainFolds.FAILED).apply("WriteFailures", new WriteFailures(run.resolve(FAILURES_FILE)));
    Progress.start(TrainFolds.PROGRESS, jobs.size());
    pipeline.run().waitUntilFinish();
    List<TrainedModel> models = new ArrayList<>();
    for (TrainJob job : jobs) {
      Path outcome = job.dir(run).resolve(TrainedModel.FILE);
      if (Files.isRegularFile(outcome)) {
        models.add(Json.read(outcome, TrainedModel.class));
      }
    }
    Json.write(run.resolve(SUMMARY_FILE), models);
    return new Outcome(models, Json.read(run.resolve(FAILURES_FILE), List.class));
  }
}

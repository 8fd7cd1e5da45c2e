package org.isles.pipelines.predict;

import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.isles.io.Json;
import org.isles.model.run.TrainedRun;
import org.isles.pipelines.CaseFailure;
import org.isles.pipelines.RunnerSettings;
import org.isles.pipelines.StageRun;
import org.isles.pipelines.WriteFailures;
import org.isles.schemas.CaseRecord;

/**
 * Predicts cases with a trained run's ensemble, one case per unit of work. Cases whose outputs an
 * earlier run already wrote are skipped, so an interrupted run resumes where it stopped.
 */
public final class PredictPipeline {
  public static final String FAILURES_FILE = "failures.json";
  public static final String SETTINGS_FILE = "prediction.json";

  private PredictPipeline() {}

  /** What a run did: cases asked for, cases skipped as already predicted, and the failures. */
  public record Outcome(int cases, int skipped, List<?> failures) {
    public int predicted() {
      return cases - skipped - failures.size();
    }
  }

  public static Outcome run(List<CaseRecord> cases, PredictionSettings settings, Path outDir, RunnerSettings runner) {
    TrainedRun run = TrainedRun.open(settings.run());
    Json.write(outDir.resolve(SETTINGS_FILE), settings.toJson(run));
    List<CaseRecord> todo = cases.stream().filter(c -> !PredictionFiles.exist(outDir, c.getCaseId())).toList();
    Pipeline pipeline = Pipeline.create(runner.pipelineOptions("isles-predict"));
    PCollectionTuple results =
        pipeline
            .apply("ReadCases", Create.of(todo).withCoder(AvroCoder.of(CaseRecord.class)))
            .apply("PredictCases", new PredictCases(settings, outDir));
    results.get(PredictCases.PREDICTED).setCoder(StringUtf8Coder.of());
    results
        .get(PredictCases.FAILED)
        .setCoder(SerializableCoder.of(CaseFailure.class))
        .apply("WriteFailures", new WriteFailures(outDir.resolve(FAILURES_FILE)));
    new StageRun(PredictCases.PROGRESS, "cases", todo.size()).run(pipeline, runner);
    List<?> failures = Json.read(outDir.resolve(FAILURES_FILE), List.class);
    return new Outcome(cases.size(), cases.size() - todo.size(), failures);
  }
}

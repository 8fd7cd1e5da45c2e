package org.isles.pipelines.predict;

import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.isles.io.Json;
import org.isles.model.run.TrainedRun;
import org.isles.pipelines.CaseFailure;
import org.isles.pipelines.OutputFolder;
import org.isles.pipelines.Progress;
import org.isles.pipelines.RunnerSettings;
import org.isles.pipelines.WriteFailures;
import org.isles.schemas.CaseRecord;

/**
 * Predicts cases with a trained run's ensemble, one case per unit of work. Cases whose outputs an
 * earlier run from the same input already wrote are skipped, so an interrupted run resumes where
 * it stopped; with {@link OutputFolder#overwrite()} every case is predicted again.
 */
public final class PredictPipeline {
  public static final String FAILURES_FILE = WriteFailures.FILE;
  public static final String SETTINGS_FILE = "prediction.json";

  private PredictPipeline() {}

  /** What a run did: cases asked for, cases skipped as already predicted, and the failures. */
  public record Outcome(int cases, int skipped, List<?> failures) {
    public int predicted() {
      return cases - skipped - failures.size();
    }
  }

  /** Predicts {@code cases} (discovered under {@code out.input()}) into {@code out.dir()}. */
  public static Outcome run(List<CaseRecord> cases, PredictionSettings settings, OutputFolder out, RunnerSettings runner) {
    Path outDir = out.dir();
    OutputFolder.Claim claim = out.claim(PredictCases.PROGRESS, cases.stream().map(CaseRecord::getCaseId).toList(),
        id -> List.of(PredictionFiles.probabilities(outDir, id), PredictionFiles.mask(outDir, id)));
    TrainedRun run = TrainedRun.open(settings.run());
    Json.write(outDir.resolve(SETTINGS_FILE), settings.toJson(run));
    List<CaseRecord> todo =
        out.overwrite() ? cases : cases.stream().filter(c -> !PredictionFiles.exist(outDir, c.getCaseId())).toList();
    Pipeline pipeline = Pipeline.create(runner.pipelineOptions("isles-predict"));
    WithFailures.Result<PCollection<String>, CaseFailure> results =
        pipeline
            .apply("ReadCases", Create.of(todo).withCoder(AvroCoder.of(CaseRecord.class)))
            .apply("PredictCases", new PredictCases(settings, outDir));
    results.failures().apply("WriteFailures", new WriteFailures(outDir.resolve(FAILURES_FILE)));
    Progress.start(PredictCases.PROGRESS, todo.size());
    pipeline.run().waitUntilFinish();
    List<?> failures = Json.read(outDir.resolve(FAILURES_FILE), List.class);
    claim.finish();
    return new Outcome(cases.size(), cases.size() - todo.size(), failures);
  }
}

package org.isles.pipelines.preprocess;

import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.isles.io.Json;
import org.isles.pipelines.RunnerSettings;
import org.isles.pipelines.StageRun;
import org.isles.pipelines.WriteFailures;
import org.isles.preprocess.PreprocessingSettings;
import org.isles.schemas.CaseRecord;

/** Preprocesses every case of a manifest in parallel: read, resample, normalize, write. */
public final class PreprocessPipeline {
  public static final String FAILURES_FILE = "failures.json";

  private PreprocessPipeline() {}

  /** What a run did: how many cases were processed and which failed. */
  public record Outcome(int cases, List<?> failures) {
    public boolean allSucceeded() {
      return failures.isEmpty();
    }
  }

  public static Outcome run(List<CaseRecord> cases, PreprocessingSettings settings, Path outDir, RunnerSettings runner) {
    Pipeline pipeline = Pipeline.create(runner.pipelineOptions("isles-preprocess"));
    PCollectionTuple results =
        pipeline
            .apply("ReadManifest", Create.of(cases).withCoder(AvroCoder.of(CaseRecord.class)))
            .apply("PreprocessCases", new PreprocessCases(settings, outDir));
    results
        .get(PreprocessCases.FAILED)
        .apply("WriteFailures", new WriteFailures(outDir.resolve(FAILURES_FILE)));
    new StageRun(PreprocessCases.PROGRESS, "cases", cases.size()).run(pipeline, runner);
    List<?> failures = Json.read(outDir.resolve(FAILURES_FILE), List.class);
    return new Outcome(cases.size(), failures);
  }
}

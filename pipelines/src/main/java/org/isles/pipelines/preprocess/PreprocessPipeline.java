package org.isles.pipelines.preprocess;

import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.isles.io.Json;
import org.isles.pipelines.CaseFailure;
import org.isles.pipelines.OutputFolder;
import org.isles.pipelines.Progress;
import org.isles.pipelines.RunnerSettings;
import org.isles.pipelines.WriteFailures;
import org.isles.preprocess.CaseMemoryBudget;
import org.isles.preprocess.PreprocessingSettings;
import org.isles.schemas.CaseRecord;
import org.isles.schemas.ProcessedCase;

/** Preprocesses every case of a manifest in parallel: read, resample, normalize, write. */
public final class PreprocessPipeline {
  public static final String FAILURES_FILE = WriteFailures.FILE;

  private PreprocessPipeline() {}

  /** What a run did: how many cases were processed and which failed. */
  public record Outcome(int cases, List<?> failures) {
    public boolean allSucceeded() {
      return failures.isEmpty();
    }
  }

  /** Preprocesses {@code cases} (discovered under {@code out.input()}) into {@code out.dir()}, one folder per case. */
  public static Outcome run(
      List<CaseRecord> cases, PreprocessingSettings settings, CaseMemoryBudget budget, OutputFolder out, RunnerSettings runner) {
    Path outDir = out.dir();
    OutputFolder.Claim claim =
        out.claim(PreprocessCases.PROGRESS, cases.stream().map(CaseRecord::getCaseId).toList(), id -> List.of(outDir.resolve(id)));
    Pipeline pipeline = Pipeline.create(runner.pipelineOptions("isles-preprocess"));
    WithFailures.Result<PCollection<ProcessedCase>, CaseFailure> results =
        pipeline
            .apply("ReadManifest", Create.of(cases).withCoder(AvroCoder.of(CaseRecord.class)))
            .apply("PreprocessCases", new PreprocessCases(settings, budget, outDir));
    results.failures().apply("WriteFailures", new WriteFailures(outDir.resolve(FAILURES_FILE)));
    Progress.start(PreprocessCases.PROGRESS, cases.size());
    pipeline.run().waitUntilFinish();
    List<?> failures = Json.read(outDir.resolve(FAILURES_FILE), List.class);
    claim.finish();
    return new Outcome(cases.size(), failures);
  }
}

package org.isles.pipelines.preprocess;

import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.isles.dataset.ProcessedStore;
import org.isles.io.Json;
import org.isles.pipelines.CaseFailure;
import org.isles.pipelines.OutputFolder;
import org.isles.pipelines.RunLayout;
import org.isles.pipelines.RunnerSettings;
import org.isles.pipelines.StageRun;
import org.isles.pipelines.WriteFailures;
import org.isles.preprocess.CaseMemoryBudget;
import org.isles.preprocess.CasePreprocessor;
import org.isles.preprocess.PreprocessingSettings;
import org.isles.schemas.CaseRecord;
import org.isles.schemas.ProcessedCase;

/**
 * Preprocesses every case of a manifest in parallel: read, resample, normalize, write. Cases an
 * earlier run already wrote with the same settings are skipped, so an interrupted run resumes.
 */
public final class PreprocessPipeline {

  private PreprocessPipeline() {}

  /** What a run did: cases asked for, cases skipped as already written, and the failures. */
  public record Outcome(int cases, int skipped, List<?> failures) {
    public boolean allSucceeded() {
      return failures.isEmpty();
    }
  }

  /** Preprocesses {@code cases} (discovered under {@code out.input()}) into {@code out.dir()}, one folder per case. */
  public static Outcome run(
      List<CaseRecord> cases, PreprocessingSettings settings, CaseMemoryBudget budget, OutputFolder out, RunnerSettings runner) {
    Path outDir = out.dir();
    ProcessedStore store = new ProcessedStore(outDir);
    OutputFolder.Claim claim =
        out.claim(PreprocessCases.PROGRESS, cases.stream().map(CaseRecord::getCaseId).toList(), id -> List.of(store.caseDir(id)));
    List<CaseRecord> todo = out.overwrite() ? cases : cases.stream().filter(c -> !written(store, c.getCaseId(), settings)).toList();
    Pipeline pipeline = Pipeline.create(runner.pipelineOptions("isles-preprocess"));
    WithFailures.Result<PCollection<ProcessedCase>, CaseFailure> results =
        pipeline
            .apply("ReadManifest", Create.of(todo).withCoder(AvroCoder.of(CaseRecord.class)))
            .apply("PreprocessCases", new PreprocessCases(settings, budget, outDir));
    results.failures().apply("WriteFailures", new WriteFailures(RunLayout.failures(outDir)));
    new StageRun(PreprocessCases.PROGRESS, "cases", todo.size()).run(pipeline, runner);
    List<?> failures = Json.read(RunLayout.failures(outDir), List.class);
    claim.finish();
    return new Outcome(cases.size(), cases.size() - todo.size(), failures);
  }

  /** Whether a case's directory is complete (case.json is written last) and made with these settings. */
  private static boolean written(ProcessedStore store, String caseId, PreprocessingSettings settings) {
    if (!store.isComplete(caseId)) {
      return false;
    }
    try {
      return CasePreprocessor.readSettings(store, caseId).equals(settings);
    } catch (RuntimeException e) {
      return false; // unreadable: preprocess it again
    }
  }
}

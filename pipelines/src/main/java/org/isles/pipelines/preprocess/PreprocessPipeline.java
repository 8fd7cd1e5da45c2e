package org.isles.pipelines.preprocess;

import java.nio.file.Files;
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
import org.isles.preprocess.CasePreprocessor;
import org.isles.preprocess.PreprocessingSettings;
import org.isles.schemas.CaseRecord;

/**
 * Preprocesses every case of a manifest in parallel: read, resample, normalize, write. Cases an
 * earlier run already wrote with the same settings are skipped, so an interrupted run resumes.
 */
public final class PreprocessPipeline {
  public static final String FAILURES_FILE = "failures.json";

  private PreprocessPipeline() {}

  /** What a run did: cases asked for, cases skipped as already written, and the failures. */
  public record Outcome(int cases, int skipped, List<?> failures) {
    public boolean allSucceeded() {
      return failures.isEmpty();
    }
  }

  public static Outcome run(List<CaseRecord> cases, PreprocessingSettings settings, Path outDir, RunnerSettings runner) {
    List<CaseRecord> todo = cases.stream().filter(c -> !written(outDir.resolve(c.getCaseId()), settings)).toList();
    Pipeline pipeline = Pipeline.create(runner.pipelineOptions("isles-preprocess"));
    PCollectionTuple results =
        pipeline
            .apply("ReadManifest", Create.of(todo).withCoder(AvroCoder.of(CaseRecord.class)))
            .apply("PreprocessCases", new PreprocessCases(settings, outDir));
    results
        .get(PreprocessCases.FAILED)
        .apply("WriteFailures", new WriteFailures(outDir.resolve(FAILURES_FILE)));
    new StageRun(PreprocessCases.PROGRESS, "cases", todo.size()).run(pipeline, runner);
    List<?> failures = Json.read(outDir.resolve(FAILURES_FILE), List.class);
    return new Outcome(cases.size(), cases.size() - todo.size(), failures);
  }

  /** Whether a case's directory is complete (case.json is written last) and made with these settings. */
  private static boolean written(Path caseDir, PreprocessingSettings settings) {
    if (!Files.isRegularFile(caseDir.resolve(CasePreprocessor.CASE_JSON))) {
      return false;
    }
    try {
      return CasePreprocessor.readSettings(caseDir).equals(settings);
    } catch (RuntimeException e) {
      return false; // unreadable: preprocess it again
    }
  }
}

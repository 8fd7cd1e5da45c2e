package org.isles.pipelines.evaluate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.isles.evaluation.CasePair;
import org.isles.evaluation.CasePairing;
import org.isles.evaluation.EvaluationFiles;
import org.isles.evaluation.EvaluationRules;
import org.isles.io.Json;
import org.isles.pipelines.CaseFailure;
import org.isles.pipelines.OutputFolder;
import org.isles.pipelines.Progress;
import org.isles.pipelines.RunnerSettings;
import org.isles.pipelines.WriteFailures;
import org.isles.schemas.CaseEvaluation;

/** Scores every paired case in parallel, then combines them into the evaluation files. */
public final class EvaluatePipeline {
  public static final String FAILURES_FILE = WriteFailures.FILE;

  private EvaluatePipeline() {}

  /** What a run did: the cases it was given and those that could not be scored. */
  public record Outcome(int cases, List<?> failures) {
    public int scored() {
      return cases - failures.size();
    }
  }

  /**
   * Scores {@code pairing} into {@code out.dir()}; the folder's input is the predictions folder. Its
   * files are all rewritten by every run, so there are no per-case outputs to replace.
   */
  public static Outcome run(CasePairing pairing, EvaluationRules rules, OutputFolder out, RunnerSettings runner) {
    Path outDir = out.dir();
    List<CaseFailure> unusable =
        pairing.unusableGroundTruth().entrySet().stream().map(e -> CaseFailure.refused(e.getKey(), null, e.getValue())).toList();
    List<String> caseIds =
        Stream.concat(pairing.pairs().stream().map(CasePair::caseId), pairing.unusableGroundTruth().keySet().stream()).toList();
    OutputFolder.Claim claim = out.claim(ScoreCases.PROGRESS, caseIds, id -> List.of());
    deleteStaleSummary(outDir);
    Pipeline pipeline = Pipeline.create(runner.pipelineOptions("isles-evaluate"));
    WithFailures.Result<PCollection<CaseEvaluation>, CaseFailure> scored =
        pipeline.apply("ReadCasePairs", new ReadCasePairs(pairing.pairs())).apply("ScoreCases", new ScoreCases(rules));
    PCollection<CaseFailure> groundTruthFailures = pipeline.apply("UnusableGroundTruth", Create.of(unusable).withType(TypeDescriptor.of(CaseFailure.class)));
    PCollection<CaseFailure> failures =
        PCollectionList.of(scored.failures()).and(groundTruthFailures).apply("AllFailures", Flatten.pCollections());
    failures.apply("WriteFailures", new WriteFailures(outDir.resolve(FAILURES_FILE)));
    scored
        .output()
        .apply("WriteSummary", new WriteSummary(rules, outDir, pairing.missingPredictions(), failures.apply("FailedCases", View.asList())));
    Progress.start(ScoreCases.PROGRESS, pairing.pairs().size());
    pipeline.run().waitUntilFinish();
    List<?> allFailures = Json.read(outDir.resolve(FAILURES_FILE), List.class);
    claim.finish();
    return new Outcome(pairing.pairs().size() + unusable.size(), allFailures);
  }

  /** A summary from an earlier run must not pass for this run's when no case can be scored now. */
  private static void deleteStaleSummary(Path outDir) {
    try {
      Files.deleteIfExists(outDir.resolve(EvaluationFiles.SUMMARY));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot replace " + outDir.resolve(EvaluationFiles.SUMMARY) + ": " + e.getMessage(), e);
    }
  }
}

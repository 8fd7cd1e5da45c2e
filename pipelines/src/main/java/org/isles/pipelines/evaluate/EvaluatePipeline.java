package org.isles.pipelines.evaluate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.isles.evaluation.CasePairing;
import org.isles.evaluation.EvaluationFiles;
import org.isles.evaluation.EvaluationRules;
import org.isles.io.Json;
import org.isles.pipelines.CaseFailure;
import org.isles.pipelines.RunnerSettings;
import org.isles.pipelines.StageRun;
import org.isles.pipelines.WriteFailures;

/** Scores every paired case in parallel, then combines them into the evaluation files. */
public final class EvaluatePipeline {
  public static final String FAILURES_FILE = "failures.json";

  private EvaluatePipeline() {}

  /** What a run did: the cases it was given and those that could not be scored. */
  public record Outcome(int cases, List<?> failures) {
    public int scored() {
      return cases - failures.size();
    }
  }

  public static Outcome run(CasePairing pairing, EvaluationRules rules, Path outDir, RunnerSettings runner) {
    List<CaseFailure> unusable =
        pairing.unusableGroundTruth().entrySet().stream().map(e -> new CaseFailure(e.getKey(), null, e.getValue())).toList();
    deleteStaleSummary(outDir);
    Pipeline pipeline = Pipeline.create(runner.pipelineOptions("isles-evaluate"));
    PCollectionTuple scored =
        pipeline.apply("ReadCasePairs", new ReadCasePairs(pairing.pairs())).apply("ScoreCases", new ScoreCases(rules));
    PCollection<CaseFailure> groundTruthFailures =
        pipeline.apply("UnusableGroundTruth", Create.of(unusable).withCoder(SerializableCoder.of(CaseFailure.class)));
    PCollection<CaseFailure> failures =
        PCollectionList.of(scored.get(ScoreCases.FAILED))
            .and(groundTruthFailures)
            .apply("AllFailures", Flatten.pCollections())
            .setCoder(SerializableCoder.of(CaseFailure.class));
    failures.apply("WriteFailures", new WriteFailures(outDir.resolve(FAILURES_FILE)));
    scored
        .get(ScoreCases.SCORED)
        .apply("WriteSummary", new WriteSummary(rules, outDir, pairing.missingPredictions(), failures.apply("FailedCases", View.asList())));
    new StageRun(ScoreCases.PROGRESS, "cases", pairing.pairs().size()).run(pipeline, runner);
    List<?> allFailures = Json.read(outDir.resolve(FAILURES_FILE), List.class);
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

package org.isles.pipelines.evaluate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.isles.evaluation.CasePair;
import org.isles.evaluation.CasePairing;
import org.isles.evaluation.EvaluationRules;
import org.isles.evaluation.SelectedSettings;
import org.isles.io.Json;
import org.isles.pipelines.CaseFailure;
import org.isles.pipelines.OutputFolder;
import org.isles.pipelines.RunLayout;
import org.isles.pipelines.RunnerSettings;
import org.isles.pipelines.StageRun;
import org.isles.pipelines.WriteFailures;
import org.isles.postprocess.PostProcessingGrid;
import org.isles.schemas.CaseEvaluation;

/**
 * Scores every paired case in parallel, then combines them into the evaluation files. failures.json
 * lists every case with a problem: those that could not be scored (left out of the summary's
 * numbers, under failed_cases) and those whose prediction was broken (scored by the rules'
 * broken-prediction rule, under broken_predictions).
 */
public final class EvaluatePipeline {

  private EvaluatePipeline() {}

  /** What a run did: the cases it was given, and those that could not be scored or had a broken prediction. */
  public record Outcome(int cases, List<?> failures) {}

  /**
   * Model selection around the evaluation.
   *
   * @param chooseOn non-null: also choose a threshold and post-processing on these cases and write
   *     {@link SelectedSettings#FILE}; the text says which cases they are (e.g. out-of-fold validation)
   * @param apply non-null: settings chosen elsewhere, whose metrics on these cases lead the summary
   */
  public record Selection(String chooseOn, SelectedSettings apply) {
    public static final Selection NONE = new Selection(null, null);
  }

  public static Outcome run(CasePairing pairing, EvaluationRules rules, OutputFolder out, RunnerSettings runner) {
    return run(pairing, rules, out, runner, Selection.NONE);
  }

  /**
   * Scores {@code pairing} into {@code out.dir()}; the folder's input is the predictions folder. Its
   * files are all rewritten by every run, so there are no per-case outputs to replace.
   */
  public static Outcome run(CasePairing pairing, EvaluationRules rules, OutputFolder out, RunnerSettings runner, Selection selection) {
    Path outDir = out.dir();
    List<CaseFailure> unusable =
        pairing.unusableGroundTruth().entrySet().stream().map(e -> CaseFailure.refused(e.getKey(), null, e.getValue())).toList();
    List<String> caseIds =
        Stream.concat(pairing.pairs().stream().map(CasePair::caseId), pairing.unusableGroundTruth().keySet().stream()).toList();
    OutputFolder.Claim claim = out.claim(ScoreCases.PROGRESS, caseIds, id -> List.of());
    deleteStale(RunLayout.evalSummary(outDir));
    deleteStale(RunLayout.selection(outDir));
    Pipeline pipeline = Pipeline.create(runner.pipelineOptions("isles-evaluate"));
    PCollection<CasePair> pairs = pipeline.apply("ReadCasePairs", new ReadCasePairs(pairing.pairs()));
    WithFailures.Result<PCollection<CaseEvaluation>, CaseFailure> scored = pairs.apply("ScoreCases", new ScoreCases(rules));
    int scorings = 1;
    if (selection.chooseOn() != null) {
      pairs.apply("ChooseSettings", new ChooseSettings(rules, RunLayout.selection(outDir), selection.chooseOn()));
      scorings += PostProcessingGrid.CANDIDATES.size();
    }
    PCollectionView<List<CaseEvaluation>> atSelected = null;
    if (selection.apply() != null) {
      atSelected = WriteSummary.collect(
          pairs.apply("ScoreAtSelectedSettings", new ScoreCases(selection.apply().rulesFor(rules))).output(),
          "CollectAtSelectedSettings");
      scorings++;
    }
    PCollection<CaseFailure> groundTruthFailures =
        pipeline.apply("UnusableGroundTruth", Create.of(unusable).withType(TypeDescriptor.of(CaseFailure.class)));
    PCollection<CaseFailure> failures =
        PCollectionList.of(scored.failures()).and(groundTruthFailures).apply("UnscoredCases", Flatten.pCollections());
    PCollection<CaseFailure> brokenPredictions =
        scored
            .output()
            .apply("BrokenPredictions", FlatMapElements.into(TypeDescriptor.of(CaseFailure.class)).via(EvaluatePipeline::brokenPrediction));
    PCollectionList.of(failures)
        .and(brokenPredictions)
        .apply("AllFailures", Flatten.pCollections())
        .apply("WriteFailures", new WriteFailures(RunLayout.failures(outDir)));
    scored
        .output()
        .apply("WriteSummary", new WriteSummary(rules, outDir, pairing.missingPredictions(), failures.apply("FailedCases", View.asList()),
            selection.apply(), atSelected));
    new StageRun(ScoreCases.PROGRESS, "cases", pairing.pairs().size() * scorings).run(pipeline, runner);
    List<?> allFailures = Json.read(RunLayout.failures(outDir), List.class);
    claim.finish();
    return new Outcome(pairing.pairs().size() + unusable.size(), allFailures);
  }

  private static List<CaseFailure> brokenPrediction(CaseEvaluation evaluation) {
    return evaluation.getPredictionError() == null
        ? List.of()
        : List.of(CaseFailure.refused(evaluation.getCaseId(), evaluation.getPredictionPath(), evaluation.getPredictionError()));
  }

  /** A summary or selection from an earlier run must not pass for this run's when no case can be scored now. */
  private static void deleteStale(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot replace " + file + ": " + e.getMessage(), e);
    }
  }
}

package org.isles.evaluation;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.isles.io.Json;
import org.isles.postprocess.PostProcessingGrid;
import org.isles.postprocess.PostProcessingOptions;
import org.isles.schemas.CaseEvaluation;

/**
 * A threshold and post-processing chosen on validation cases (out-of-fold predictions), to be
 * applied unchanged to the test set: model selection without looking at the test cases. Written
 * as {@value #FILE} by the evaluation that chose it and read by the test set's evaluation.
 *
 * @param validationMeanDice mean Dice of the chosen settings over the cases they were chosen on
 * @param chosenOn where the settings were chosen: which predictions, in words
 * @param caseIds the cases they were chosen on
 * @param candidates every candidate of {@link PostProcessingGrid} with its best threshold and mean Dice
 */
public record SelectedSettings(
    double threshold,
    PostProcessingOptions postProcessing,
    double validationMeanDice,
    String chosenOn,
    List<String> caseIds,
    List<Candidate> candidates)
    implements Serializable {
  public static final String FILE = "selection.json";
  public static final String RULE = "threshold x post-processing with the highest mean Dice over the validation cases"
      + " (the evaluation's own rules: empty ground truths and missing or broken predictions as in rules); post-processing"
      + " among the grid (" + PostProcessingGrid.RULE + "); a tie goes to the simpler post-processing (the grid's order:"
      + " none, then min size, then cc_score max, p95, mean, smaller sizes and levels first), then to the lower threshold";

  public SelectedSettings {
    caseIds = List.copyOf(caseIds);
    candidates = List.copyOf(candidates);
  }

  /**
   * Chooses among {@link PostProcessingGrid#CANDIDATES}; nothing under {@link
   * BrokenPredictionRule#REFUSE} while a prediction is missing or broken, since the choice is a mean.
   *
   * @param byCandidate the validation cases scored under each candidate, in the grid's order
   */
  public static Optional<SelectedSettings> choose(List<List<CaseEvaluation>> byCandidate, EvaluationRules rules, String chosenOn) {
    List<PostProcessingOptions> grid = PostProcessingGrid.CANDIDATES;
    if (byCandidate.size() != grid.size()) {
      throw new IllegalArgumentException("expected " + grid.size() + " candidates, got " + byCandidate.size());
    }
    boolean unusable = byCandidate.get(0).stream().anyMatch(c -> c.getPredictionPath() == null || c.getPredictionError() != null);
    if (rules.brokenPredictions() == BrokenPredictionRule.REFUSE && unusable) {
      return Optional.empty();
    }
    List<Candidate> table = new ArrayList<>();
    int chosen = -1;
    EvaluationSummary best = null;
    for (int c = 0; c < grid.size(); c++) {
      EvaluationSummary summary = new EvaluationSummary(byCandidate.get(c), rules.with(rules.thresholds(), grid.get(c)));
      table.add(new Candidate(Summary.PostProcessing.of(grid.get(c)), summary.bestThreshold(), summary.meanDiceAtBest()));
      if (best == null || summary.meanDiceAtBest() > best.meanDiceAtBest()) {
        best = summary;
        chosen = c;
      }
    }
    List<String> ids = byCandidate.get(chosen).stream().map(CaseEvaluation::getCaseId).sorted().toList();
    return Optional.of(new SelectedSettings(best.bestThreshold(), grid.get(chosen), best.meanDiceAtBest(), chosenOn, ids, table));
  }

  /** The rules that score a case at these settings: {@code base} with this one threshold and post-processing. */
  public EvaluationRules rulesFor(EvaluationRules base) {
    return base.with(new double[] {threshold}, postProcessing);
  }

  public void write(Path file) {
    Json.write(file, new SelectionFile(threshold, Summary.PostProcessing.of(postProcessing), chosenOn, caseIds.size(),
        validationMeanDice, RULE, caseIds, candidates));
  }

  public static SelectedSettings read(Path file) {
    SelectionFile json = Json.read(file, SelectionFile.class);
    try {
      return new SelectedSettings(json.threshold(), json.postProcessing().options(), json.validationMeanDice(), json.chosenOn(),
          json.caseIds(), json.candidates());
    } catch (NullPointerException | IllegalArgumentException e) {
      throw new IllegalArgumentException(file + " is not a selection written by isles evaluate --select-settings: " + e, e);
    }
  }

  /** One post-processing of the grid with its best threshold and the mean Dice there. */
  public record Candidate(Summary.PostProcessing postProcessing, double bestThreshold, double meanDice) implements Serializable {}

  /** selection.json: the settings as summary.json's selected_on_validation block begins, the cases and every candidate. */
  private record SelectionFile(double threshold, Summary.PostProcessing postProcessing, String chosenOn, int nCasesChosenOn,
      double validationMeanDice, String rule, List<String> caseIds, List<Candidate> candidates) {}
}

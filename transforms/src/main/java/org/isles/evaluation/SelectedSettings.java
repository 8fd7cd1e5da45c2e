package org.isles.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    List<Map<String, Object>> candidates)
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
    List<Map<String, Object>> table = new ArrayList<>();
    int chosen = -1;
    EvaluationSummary best = null;
    for (int c = 0; c < grid.size(); c++) {
      EvaluationSummary summary = new EvaluationSummary(byCandidate.get(c), rules.with(rules.thresholds(), grid.get(c)));
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("post_processing", EvaluationRules.postProcessingJson(grid.get(c)));
      row.put("best_threshold", summary.bestThreshold());
      row.put("mean_dice", summary.meanDiceAtBest());
      table.add(row);
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

  /** The settings as summary.json's selected_on_validation block begins. */
  public Map<String, Object> settingsJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("threshold", threshold);
    json.put("post_processing", EvaluationRules.postProcessingJson(postProcessing));
    json.put("chosen_on", chosenOn);
    json.put("n_cases_chosen_on", caseIds.size());
    json.put("validation_mean_dice", validationMeanDice);
    json.put("rule", RULE);
    return json;
  }

  public void write(Path file) {
    Map<String, Object> json = settingsJson();
    json.put("case_ids", caseIds);
    json.put("candidates", candidates);
    Json.write(file, json);
  }

  public static SelectedSettings read(Path file) {
    JsonNode json = Json.read(file, JsonNode.class);
    try {
      List<String> ids = new ArrayList<>();
      json.get("case_ids").forEach(id -> ids.add(id.asText()));
      List<Map<String, Object>> candidates = new ArrayList<>();
      json.get("candidates").forEach(row -> candidates.add(Json.MAPPER.convertValue(row, Map.class)));
      return new SelectedSettings(json.get("threshold").asDouble(),
          EvaluationRules.postProcessingFromJson(json.get("post_processing")), json.get("validation_mean_dice").asDouble(),
          json.get("chosen_on").asText(), ids, candidates);
    } catch (NullPointerException | IllegalArgumentException e) {
      throw new IllegalArgumentException(file + " is not a selection written by isles evaluate --select-settings: " + e, e);
    }
  }
}

package org.isles.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import org.isles.metrics.CaseMetrics;
import org.isles.metrics.ConfusionCounts;
import org.isles.metrics.SummaryStatistic;
import org.isles.schemas.CaseEvaluation;

/**
 * The summary.json of an evaluation: the threshold sweep, the best threshold by mean Dice, the
 * metrics there, the official ISLES 2022 means, breakdowns by slice thickness and lesion size, and
 * the rules that produced them. Undefined numbers (nothing to average or divide by) are null.
 */
public final class EvaluationSummary {
  private final EvaluationRules rules;
  /** Every evaluated case, sorted by id so that any runner's order gives the same sums. */
  private final List<ScoredCase> cases;
  /** The cases that the empty-ground-truth rule keeps in the Dice-based numbers. */
  private final List<ScoredCase> scored;
  private final int best;

  private record ScoredCase(CaseEvaluation record, List<CaseMetrics> metrics) {
    CaseMetrics at(int t) {
      return metrics.get(t);
    }

    boolean hasLesion() {
      return record.getGtVoxels() > 0;
    }

    boolean predictionBroken() {
      return record.getPredictionError() != null;
    }
  }

  /** What best_all is: the sweep's best threshold on the very cases it reports. */
  public static final String BEST_ALL = "best_all: the evaluated cases themselves (on a test set, chosen on the test"
      + " cases; see selected_on_validation for settings chosen without them)";

  public EvaluationSummary(List<CaseEvaluation> evaluations, EvaluationRules rules) {
    this.rules = rules;
    this.cases =
        evaluations.stream()
            .sorted(Comparator.comparing(CaseEvaluation::getCaseId))
            .map(e -> new ScoredCase(e, checkedMetrics(e, rules)))
            .toList();
    this.scored = rules.excludeEmptyGt() ? cases.stream().filter(ScoredCase::hasLesion).toList() : cases;
    if (scored.isEmpty()) {
      throw new IllegalArgumentException("no case to summarize: " + cases.size() + " evaluated, cases with an empty ground truth "
          + (rules.excludeEmptyGt() ? "excluded" : "included"));
    }
    this.best = highestMeanDice();
  }

  /** The threshold with the highest mean Dice; the lowest threshold wins a tie. */
  public double bestThreshold() {
    return rules.thresholds()[best];
  }

  /** Mean Dice at {@link #bestThreshold}. */
  public double meanDiceAtBest() {
    return meanDice(scored, best);
  }

  /** The position of {@link #bestThreshold} in the sweep. */
  public int bestThresholdIndex() {
    return best;
  }

  /**
   * Why no mean is reported, or null: under {@link BrokenPredictionRule#REFUSE}, while any
   * prediction is missing or broken.
   */
  public String refusal(List<String> missingPredictions) {
    long broken = cases.stream().filter(ScoredCase::predictionBroken).count();
    if (rules.brokenPredictions() != BrokenPredictionRule.REFUSE || missingPredictions.isEmpty() && broken == 0) {
      return null;
    }
    return missingPredictions.size() + " predictions missing and " + broken + " broken; no mean is reported"
        + " (broken_predictions: " + rules.brokenPredictions().label() + ")";
  }

  /** The summary.json content, keys in a fixed order; without any metric when {@link #refusal} is not null. */
  public Map<String, Object> toJson(List<String> missingPredictions, List<String> failedCases) {
    Map<String, Object> json = new LinkedHashMap<>();
    String refusal = refusal(missingPredictions);
    if (refusal != null) {
      json.put("mean_refused", refusal);
      json.put("n_cases_evaluated", cases.size());
      putPredictionProblems(json, missingPredictions);
      json.put("failed_cases", failedCases.stream().sorted().toList());
      json.put("rules", rules.toJson());
      return json;
    }
    json.put("mean_dice", number(meanDice(scored, best)));
    json.put("best_threshold_by_mean_dice", bestThreshold());
    json.put("best_threshold_chosen_on", BEST_ALL);
    json.put("n_cases", scored.size());
    json.put("n_cases_evaluated", cases.size());
    json.put("n_cases_empty_gt", cases.stream().filter(c -> !c.hasLesion()).count());
    List<Map<String, Object>> perThreshold = new ArrayList<>();
    for (int t = 0; t < rules.thresholds().length; t++) {
      perThreshold.add(thresholdJson(t));
    }
    json.put("per_threshold", perThreshold);
    json.put("extra_metrics_best", extraMetrics());
    json.put("isles22", isles22());
    json.put("by_slice_spacing", breakdown(c -> rules.sliceBucket(c.record.getSliceThicknessMm()), List.of("thin", "thick")));
    List<String> sizes = new ArrayList<>(List.of("small", "medium", "large"));
    if (!rules.excludeEmptyGt()) {
      sizes.add(0, EvaluationRules.EMPTY);
    }
    json.put("by_lesion_size", breakdown(c -> rules.sizeBucket(c.record.getGtVoxels(), c.record.getGtVolumeMl()), sizes));
    putPredictionProblems(json, missingPredictions);
    json.put("failed_cases", failedCases.stream().sorted().toList());
    json.put("rules", rules.toJson());
    return json;
  }

  /**
   * The selected_on_validation block: the settings chosen on validation cases and the metrics of
   * these cases at them.
   *
   * @param atSelected these cases scored with {@link SelectedSettings#rulesFor} the summary's rules
   */
  public Map<String, Object> selectedOnValidation(SelectedSettings selected, List<CaseEvaluation> atSelected) {
    Map<String, Object> json = selected.settingsJson();
    EvaluationSummary test = new EvaluationSummary(atSelected, selected.rulesFor(rules));
    Map<String, Object> metrics = test.toJson(List.of(), List.of());
    json.put("mean_dice", metrics.get("mean_dice"));
    json.put("n_cases", metrics.get("n_cases"));
    @SuppressWarnings("unchecked")
    Map<String, Object> atThreshold = new LinkedHashMap<>(((List<Map<String, Object>>) metrics.get("per_threshold")).get(0));
    atThreshold.remove("threshold");
    atThreshold.remove("mean_dice");
    atThreshold.remove("n_cases");
    json.putAll(atThreshold);
    json.put("extra_metrics", metrics.get("extra_metrics_best"));
    json.put("isles22", metrics.get("isles22"));
    json.put("by_slice_spacing", metrics.get("by_slice_spacing"));
    json.put("by_lesion_size", metrics.get("by_lesion_size"));
    return json;
  }

  /** The cases whose prediction was missing or broken: counts, ids, and for a broken one its file and cause. */
  private void putPredictionProblems(Map<String, Object> json, List<String> missingPredictions) {
    List<Map<String, Object>> broken = new ArrayList<>();
    for (ScoredCase c : cases) {
      if (c.predictionBroken()) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("case_id", c.record.getCaseId());
        entry.put("file", c.record.getPredictionPath());
        entry.put("cause", c.record.getPredictionError());
        broken.add(entry);
      }
    }
    json.put("n_predictions_missing", missingPredictions.size());
    json.put("missing_predictions", missingPredictions.stream().sorted().toList());
    json.put("n_predictions_broken", broken.size());
    json.put("broken_predictions", broken);
  }

  private int highestMeanDice() {
    int index = 0;
    for (int t = 1; t < rules.thresholds().length; t++) {
      if (meanDice(scored, t) > meanDice(scored, index)) {
        index = t;
      }
    }
    return index;
  }

  private Map<String, Object> thresholdJson(int t) {
    ConfusionCounts voxels = ConfusionCounts.sum(scored.stream().map(c -> c.at(t).voxels()).toList());
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("threshold", rules.thresholds()[t]);
    json.put("mean_dice", number(meanDice(scored, t)));
    json.put("voxel_precision", number(voxels.precision()));
    json.put("voxel_recall", number(voxels.recall()));
    json.put("detection_rate_case", number(fraction(scored, ScoredCase::hasLesion, c -> c.at(t).detected())));
    // Taken over all empty-ground-truth cases, so it stays defined when they are excluded from mean_dice.
    json.put("false_alarm_rate_case", number(fraction(cases, c -> !c.hasLesion(), c -> c.at(t).falseAlarm())));
    json.put("n_cases", scored.size());
    return json;
  }

  private Map<String, Object> extraMetrics() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("threshold", bestThreshold());
    json.put("volume_diff_ml", meanAndMeanAbs(CaseMetrics::volumeDifferenceMl));
    json.put("lesion_count_diff", meanAndMeanAbs(CaseMetrics::lesionCountDifference));
    ConfusionCounts lesions = ConfusionCounts.sum(scored.stream().map(c -> c.at(best).lesions()).toList());
    Map<String, Object> lesionwise = new LinkedHashMap<>();
    lesionwise.put("precision_micro", number(lesions.precision()));
    lesionwise.put("recall_micro", number(lesions.recall()));
    lesionwise.put("f1_micro", number(lesions.f1()));
    lesionwise.put("f1_mean", number(statistic(scored, CaseMetrics::lesionF1).mean()));
    json.put("lesionwise", lesionwise);
    SummaryStatistic assd = statistic(scored, m -> m.boundary().assdMm());
    Map<String, Object> distances = new LinkedHashMap<>();
    distances.put("assd", number(assd.mean()));
    distances.put("hd", number(statistic(scored, m -> m.boundary().hausdorffMm()).mean()));
    distances.put("hd95", number(statistic(scored, m -> m.boundary().hausdorff95Mm()).mean()));
    distances.put("n_cases", assd.count());
    distances.put("n_cases_undefined", assd.excluded());
    json.put("boundary_distance_mm", distances);
    json.put("mean_fp_cc", number(statistic(scored, m -> m.falsePositiveComponents()).mean()));
    return json;
  }

  /** The challenge's four metrics, mean and sample std over all cases (empty ground truths included, as its code does). */
  private Map<String, Object> isles22() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("threshold", bestThreshold());
    json.put("n_cases", cases.size());
    json.put("dice", statistic(cases, CaseMetrics::dice).toMap());
    json.put("absolute_volume_difference_ml", statistic(cases, CaseMetrics::absoluteVolumeDifferenceMl).toMap());
    json.put("absolute_lesion_count_difference", statistic(cases, CaseMetrics::absoluteLesionCountDifference).toMap());
    json.put("lesion_f1", statistic(cases, CaseMetrics::lesionF1).toMap());
    return json;
  }

  private Map<String, Object> breakdown(Function<ScoredCase, String> bucketOf, List<String> buckets) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("threshold", bestThreshold());
    for (String bucket : buckets) {
      List<ScoredCase> members = scored.stream().filter(c -> bucketOf.apply(c).equals(bucket)).toList();
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("n_cases", members.size());
      entry.put("mean_dice", number(meanDice(members, best)));
      entry.put("lesionwise_f1_mean", number(statistic(members, CaseMetrics::lesionF1).mean()));
      json.put(bucket, entry);
    }
    return json;
  }

  private Map<String, Object> meanAndMeanAbs(ToDoubleFunction<CaseMetrics> difference) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("mean", number(statistic(scored, difference).mean()));
    json.put("mean_abs", number(statistic(scored, m -> Math.abs(difference.applyAsDouble(m))).mean()));
    return json;
  }

  private SummaryStatistic statistic(List<ScoredCase> members, ToDoubleFunction<CaseMetrics> metric) {
    return SummaryStatistic.over(members, c -> metric.applyAsDouble(c.at(best)));
  }

  private static double meanDice(List<ScoredCase> members, int t) {
    return SummaryStatistic.over(members, c -> c.at(t).dice()).mean();
  }

  private static double fraction(List<ScoredCase> members, Predicate<ScoredCase> among, Predicate<ScoredCase> those) {
    List<ScoredCase> population = members.stream().filter(among).toList();
    return population.isEmpty() ? Double.NaN : (double) population.stream().filter(those).count() / population.size();
  }

  private static List<CaseMetrics> checkedMetrics(CaseEvaluation evaluation, EvaluationRules rules) {
    List<CaseMetrics> metrics = EvaluationRecords.metrics(evaluation);
    boolean same = metrics.size() == rules.thresholds().length;
    for (int t = 0; same && t < metrics.size(); t++) {
      same = metrics.get(t).threshold() == rules.thresholds()[t];
    }
    if (!same) {
      throw new IllegalArgumentException("case " + evaluation.getCaseId() + " was evaluated at other thresholds than the rules' "
          + Arrays.toString(rules.thresholds()));
    }
    return metrics;
  }

  private static Double number(double value) {
    return Double.isFinite(value) ? value : null;
  }
}

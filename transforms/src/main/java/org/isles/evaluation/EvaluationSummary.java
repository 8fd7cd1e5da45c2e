package org.isles.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
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

  /**
   * The summary.json content; without any metric when {@link #refusal} is not null.
   *
   * @param calibration the calibration block, or null without any prediction
   * @param selectedOnValidation the block that leads the summary, or null without --selected
   */
  public Summary toJson(List<String> missingPredictions, List<String> failedCases, Summary.Calibration calibration,
      Summary.SelectedOnValidation selectedOnValidation) {
    List<Summary.BrokenPrediction> broken = cases.stream()
        .filter(ScoredCase::predictionBroken)
        .map(c -> new Summary.BrokenPrediction(c.record.getCaseId(), c.record.getPredictionPath(), c.record.getPredictionError()))
        .toList();
    List<String> missing = missingPredictions.stream().sorted().toList();
    List<String> failed = failedCases.stream().sorted().toList();
    String refusal = refusal(missingPredictions);
    if (refusal != null) {
      return new Summary(null, refusal, null, null, null, null, cases.size(), null, null, null, null, null, null,
          missing.size(), missing, broken.size(), broken, failed, rules.toJson(), calibration);
    }
    List<Summary.AtThreshold> perThreshold = new ArrayList<>();
    for (int t = 0; t < rules.thresholds().length; t++) {
      perThreshold.add(atThreshold(t));
    }
    return new Summary(selectedOnValidation, null, number(meanDice(scored, best)), bestThreshold(), BEST_ALL, scored.size(),
        cases.size(), cases.stream().filter(c -> !c.hasLesion()).count(), perThreshold, extraMetrics(), isles22(),
        bySliceSpacing(), byLesionSize(), missing.size(), missing, broken.size(), broken, failed, rules.toJson(), calibration);
  }

  /** The same without calibration and selection, e.g. to look at the numbers. */
  public Summary toJson(List<String> missingPredictions, List<String> failedCases) {
    return toJson(missingPredictions, failedCases, null, null);
  }

  /**
   * The selected_on_validation block: the settings chosen on validation cases and the metrics of
   * these cases at them.
   *
   * @param atSelected these cases scored with {@link SelectedSettings#rulesFor} the summary's rules
   */
  public Summary.SelectedOnValidation selectedOnValidation(SelectedSettings selected, List<CaseEvaluation> atSelected) {
    EvaluationSummary test = new EvaluationSummary(atSelected, selected.rulesFor(rules));
    Summary.AtThreshold at = test.atThreshold(0);
    return new Summary.SelectedOnValidation(selected.threshold(), Summary.PostProcessing.of(selected.postProcessing()),
        selected.chosenOn(), selected.caseIds().size(), selected.validationMeanDice(), SelectedSettings.RULE,
        number(meanDice(test.scored, test.best)), test.scored.size(), at.voxelPrecision(), at.voxelRecall(),
        at.detectionRateCase(), at.falseAlarmRateCase(), test.extraMetrics(), test.isles22(), test.bySliceSpacing(),
        test.byLesionSize());
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

  private Summary.AtThreshold atThreshold(int t) {
    ConfusionCounts voxels = ConfusionCounts.sum(scored.stream().map(c -> c.at(t).voxels()).toList());
    return new Summary.AtThreshold(
        rules.thresholds()[t],
        number(meanDice(scored, t)),
        number(voxels.precision()),
        number(voxels.recall()),
        number(fraction(scored, ScoredCase::hasLesion, c -> c.at(t).detected())),
        // Taken over all empty-ground-truth cases, so it stays defined when they are excluded from mean_dice.
        number(fraction(cases, c -> !c.hasLesion(), c -> c.at(t).falseAlarm())),
        scored.size());
  }

  private Summary.ExtraMetrics extraMetrics() {
    ConfusionCounts lesions = ConfusionCounts.sum(scored.stream().map(c -> c.at(best).lesions()).toList());
    SummaryStatistic assd = statistic(scored, m -> m.boundary().assdMm());
    return new Summary.ExtraMetrics(
        bestThreshold(),
        meanAndMeanAbs(CaseMetrics::volumeDifferenceMl),
        meanAndMeanAbs(CaseMetrics::lesionCountDifference),
        new Summary.Lesionwise(number(lesions.precision()), number(lesions.recall()), number(lesions.f1()),
            number(statistic(scored, CaseMetrics::lesionF1).mean())),
        new Summary.BoundaryDistance(number(assd.mean()), number(statistic(scored, m -> m.boundary().hausdorffMm()).mean()),
            number(statistic(scored, m -> m.boundary().hausdorff95Mm()).mean()), assd.count(), assd.excluded()),
        number(statistic(scored, m -> m.falsePositiveComponents()).mean()));
  }

  /** The challenge's four metrics, mean and sample std over all cases (empty ground truths included, as its code does). */
  private Summary.Isles22 isles22() {
    return new Summary.Isles22(
        bestThreshold(),
        cases.size(),
        Summary.Statistic.of(statistic(cases, CaseMetrics::dice)),
        Summary.Statistic.of(statistic(cases, CaseMetrics::absoluteVolumeDifferenceMl)),
        Summary.Statistic.of(statistic(cases, CaseMetrics::absoluteLesionCountDifference)),
        Summary.Statistic.of(statistic(cases, CaseMetrics::lesionF1)));
  }

  private Summary.SliceSpacingBreakdown bySliceSpacing() {
    Function<ScoredCase, String> bucketOf = c -> rules.sliceBucket(c.record.getSliceThicknessMm());
    return new Summary.SliceSpacingBreakdown(bestThreshold(), bucket(bucketOf, "thin"), bucket(bucketOf, "thick"));
  }

  /** Without the empty bucket when empty ground truths are excluded. */
  private Summary.LesionSizeBreakdown byLesionSize() {
    Function<ScoredCase, String> bucketOf = c -> rules.sizeBucket(c.record.getGtVoxels(), c.record.getGtVolumeMl());
    return new Summary.LesionSizeBreakdown(bestThreshold(), rules.excludeEmptyGt() ? null : bucket(bucketOf, EvaluationRules.EMPTY),
        bucket(bucketOf, "small"), bucket(bucketOf, "medium"), bucket(bucketOf, "large"));
  }

  private Summary.Bucket bucket(Function<ScoredCase, String> bucketOf, String bucket) {
    List<ScoredCase> members = scored.stream().filter(c -> bucketOf.apply(c).equals(bucket)).toList();
    return new Summary.Bucket(members.size(), number(meanDice(members, best)), number(statistic(members, CaseMetrics::lesionF1).mean()));
  }

  private Summary.MeanAndMeanAbs meanAndMeanAbs(ToDoubleFunction<CaseMetrics> difference) {
    return new Summary.MeanAndMeanAbs(number(statistic(scored, difference).mean()),
        number(statistic(scored, m -> Math.abs(difference.applyAsDouble(m))).mean()));
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
    return Summary.number(value);
  }
}

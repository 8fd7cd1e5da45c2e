package org.isles.evaluation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.isles.stats.PairedBootstrap;
import org.isles.stats.WilcoxonSignedRank;

/**
 * Paired per-case comparison of evaluation runs: every run X against the first run A, per metric,
 * on the cases that every run has. The difference is X - A; a win is a case where X is better.
 */
public final class RunComparison {
  /** The significance level of {@link Paired#significant}. */
  public static final double ALPHA = 0.05;

  /** A gate margin: X fails when it is worse than A by more than {@code margin} and the CI excludes zero. */
  public record Margin(ComparedMetric metric, double margin) {
    /** {@code dice:0.01,hd95:2}. */
    public static List<Margin> parseList(String spec) {
      List<Margin> margins = new ArrayList<>();
      for (String part : spec.split(",")) {
        String[] pieces = part.split(":");
        if (pieces.length != 2) {
          throw new IllegalArgumentException("--fail-if-worse takes metric:margin[,metric:margin], not '" + part + "'");
        }
        double margin = Double.parseDouble(pieces[1]);
        if (!(margin >= 0)) {
          throw new IllegalArgumentException("margin of " + pieces[0] + " must be >= 0, got " + pieces[1]);
        }
        margins.add(new Margin(ComparedMetric.parse(pieces[0]), margin));
      }
      return margins;
    }
  }

  /** One metric of one pair (A, X) over the paired cases. */
  public record Paired(
      ComparedMetric metric, String a, String x, List<String> caseIds, double[] valuesA, double[] valuesX, int undefined,
      double meanA, double meanX, double meanDifference, PairedBootstrap.Interval interval, WilcoxonSignedRank.Result wilcoxon,
      int wins, int ties, int losses) {
    /** How much worse X is than A on average, positive when worse. */
    public double worsening() {
      return metric.higherIsBetter() ? -meanDifference : meanDifference;
    }

    /** A change that is not noise: the CI excludes zero and the Wilcoxon p-value is below {@link #ALPHA}. */
    public boolean significant() {
      return interval.excludesZero() && wilcoxon.pValue() < ALPHA;
    }

    /** The CI lies wholly on the worse side of zero. */
    public boolean significantlyWorse() {
      return metric.higherIsBetter() ? interval.high() < 0 : interval.low() > 0;
    }
  }

  private final List<EvaluationRun> runs;
  private final List<ComparedMetric> metrics;
  private final int resamples;
  private final long seed;
  private final List<String> common;
  private final List<String> notInAll;
  private final List<Paired> pairs = new ArrayList<>();

  public RunComparison(List<EvaluationRun> runs, List<ComparedMetric> metrics, int resamples, long seed) {
    if (runs.size() < 2) {
      throw new IllegalArgumentException("compare needs at least two evaluations, got " + runs.size());
    }
    this.runs = runs;
    this.metrics = metrics;
    this.resamples = resamples;
    this.seed = seed;
    Set<String> all = new TreeSet<>();
    runs.forEach(r -> all.addAll(r.caseIds()));
    this.common = all.stream().filter(id -> runs.stream().allMatch(r -> r.caseIds().contains(id))).toList();
    this.notInAll = all.stream().filter(id -> !common.contains(id)).toList();
    if (common.isEmpty()) {
      throw new IllegalArgumentException("the evaluations have no case in common");
    }
    EvaluationRun a = runs.get(0);
    for (EvaluationRun x : runs.subList(1, runs.size())) {
      for (ComparedMetric metric : metrics) {
        pairs.add(pair(metric, a, x));
      }
    }
  }

  private Paired pair(ComparedMetric metric, EvaluationRun a, EvaluationRun x) {
    List<String> ids = new ArrayList<>();
    List<Double> va = new ArrayList<>();
    List<Double> vx = new ArrayList<>();
    for (String id : common) {
      double valueA = a.values().get(metric).get(id);
      double valueX = x.values().get(metric).get(id);
      if (Double.isFinite(valueA) && Double.isFinite(valueX)) {
        ids.add(id);
        va.add(valueA);
        vx.add(valueX);
      }
    }
    double[] valuesA = va.stream().mapToDouble(Double::doubleValue).toArray();
    double[] valuesX = vx.stream().mapToDouble(Double::doubleValue).toArray();
    int n = valuesA.length;
    if (n == 0) {
      return new Paired(metric, a.name(), x.name(), ids, valuesA, valuesX, common.size(), Double.NaN, Double.NaN, Double.NaN,
          new PairedBootstrap.Interval(Double.NaN, Double.NaN), new WilcoxonSignedRank.Result(Double.NaN, Double.NaN, "none", 0), 0, 0, 0);
    }
    double[] differences = new double[n];
    int wins = 0;
    int ties = 0;
    for (int i = 0; i < n; i++) {
      differences[i] = valuesX[i] - valuesA[i];
      double worse = metric.worsening(valuesA[i], valuesX[i]);
      if (worse < 0) {
        wins++;
      } else if (worse == 0) {
        ties++;
      }
    }
    return new Paired(metric, a.name(), x.name(), ids, valuesA, valuesX, common.size() - n, mean(valuesA), mean(valuesX),
        mean(differences), PairedBootstrap.meanInterval(differences, resamples, seed), WilcoxonSignedRank.test(valuesX, valuesA),
        wins, ties, n - wins - ties);
  }

  public List<Paired> pairs() {
    return pairs;
  }

  public List<EvaluationRun> runs() {
    return runs;
  }

  public List<ComparedMetric> metrics() {
    return metrics;
  }

  public List<String> casesNotInAllRuns() {
    return notInAll;
  }

  /** More than one comparison per metric: p-values are Holm-adjusted over the comparisons of a metric. */
  public boolean multipleComparisons() {
    return runs.size() > 2;
  }

  /** Holm's step-down adjustment over the runs compared with A for the pair's metric. */
  public double holmAdjusted(Paired paired) {
    List<Paired> family = pairs.stream().filter(p -> p.metric() == paired.metric() && !Double.isNaN(p.wilcoxon().pValue()))
        .sorted(Comparator.comparingDouble(p -> p.wilcoxon().pValue())).toList();
    double running = 0;
    for (int k = 0; k < family.size(); k++) {
      running = Math.max(running, Math.min(1, (family.size() - k) * family.get(k).wilcoxon().pValue()));
      if (family.get(k) == paired) {
        return running;
      }
    }
    return Double.NaN;
  }

  /** The pairs that fail a gate margin, as one line each. */
  public List<String> regressions(List<Margin> margins) {
    List<String> lines = new ArrayList<>();
    for (Margin margin : margins) {
      for (Paired p : pairs) {
        if (p.metric() == margin.metric() && p.worsening() > margin.margin() && p.significantlyWorse()) {
          lines.add(String.format(Locale.ROOT, "regression: %s of %s is worse than %s by %.4g (mean %s %.4g, 95%% CI %.4g..%.4g,"
                  + " n %d), more than the margin %s", p.metric().key(), p.x(), p.a(), p.worsening(), "X - A", p.meanDifference(),
              p.interval().low(), p.interval().high(), p.caseIds().size(), margin.margin()));
        }
      }
    }
    return lines;
  }

  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("baseline", runs.get(0).name());
    List<Map<String, Object>> runList = new ArrayList<>();
    for (EvaluationRun run : runs) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("name", run.name());
      entry.put("eval_dir", run.dir().toAbsolutePath().normalize().toString());
      entry.put("threshold", run.threshold());
      entry.put("n_cases", run.caseIds().size());
      runList.add(entry);
    }
    json.put("runs", runList);
    json.put("n_cases_paired", common.size());
    json.put("cases_not_in_all_runs", notInAll);
    json.put("difference", "X - A per case, A the baseline (first run); a win is a case where X is better");
    json.put("bootstrap", Map.of("resamples", resamples, "seed", seed, "interval", "percentile, 95%"));
    json.put("wilcoxon", "two-sided signed-rank test on the paired values, as scipy.stats.wilcoxon (zero differences dropped;"
        + " exact without ties or zeros for n <= 50, sign-flip permutation with them for n <= 13, else normal approximation"
        + " with tie correction)");
    json.put("multiple_comparisons", multipleComparisons() ? multipleComparisonNote() : null);
    List<Map<String, Object>> comparisons = new ArrayList<>();
    for (Paired p : pairs) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("a", p.a());
      entry.put("x", p.x());
      entry.put("metric", p.metric().key());
      entry.put("better", p.metric().higherIsBetter() ? "higher" : "lower");
      entry.put("n_cases", p.caseIds().size());
      entry.put("n_cases_undefined", p.undefined());
      entry.put("mean_a", number(p.meanA()));
      entry.put("mean_x", number(p.meanX()));
      entry.put("mean_difference", number(p.meanDifference()));
      entry.put("ci95_low", number(p.interval().low()));
      entry.put("ci95_high", number(p.interval().high()));
      entry.put("wilcoxon_statistic", number(p.wilcoxon().statistic()));
      entry.put("p_value", number(p.wilcoxon().pValue()));
      entry.put("p_value_method", p.wilcoxon().method());
      if (multipleComparisons()) {
        entry.put("p_value_holm", number(holmAdjusted(p)));
      }
      entry.put("wins", p.wins());
      entry.put("ties", p.ties());
      entry.put("losses", p.losses());
      comparisons.add(entry);
    }
    json.put("comparisons", comparisons);
    return json;
  }

  public String multipleComparisonNote() {
    return (runs.size() - 1) + " runs are compared with " + runs.get(0).name() + " per metric: at 5% each, the chance of at least"
        + " one false 'significant' rises with the number of comparisons; p_value_holm is Holm-adjusted over the runs of a metric.";
  }

  /** The table for people: one row per metric and run. */
  public String toMarkdown() {
    StringBuilder md = new StringBuilder();
    md.append("# Comparison with ").append(runs.get(0).name()).append("\n\n");
    for (EvaluationRun run : runs) {
      md.append(String.format(Locale.ROOT, "- %s: %s, threshold %s, %d cases%n", run.name(), run.dir(), run.threshold(), run.caseIds().size()));
    }
    md.append(String.format(Locale.ROOT, "%n%d paired cases", common.size()));
    md.append(notInAll.isEmpty() ? ".\n" : "; not in every run, left out: " + String.join(", ", notInAll) + ".\n");
    md.append(String.format(Locale.ROOT, "Difference = X - A per case; 95%% CI from %d bootstrap resamples (seed %d);"
        + " p from the paired Wilcoxon signed-rank test; win = X better.%n%n", resamples, seed));
    md.append(multipleComparisons() ? "| metric | X | mean A | mean X | X - A | 95% CI | p | p (Holm) | win/tie/loss | n |\n"
        + "| --- | --- | ---: | ---: | ---: | --- | ---: | ---: | --- | ---: |\n"
        : "| metric | X | mean A | mean X | X - A | 95% CI | p | win/tie/loss | n |\n| --- | --- | ---: | ---: | ---: | --- | ---: | --- | ---: |\n");
    for (Paired p : pairs) {
      md.append(String.format(Locale.ROOT, "| %s (%s better) | %s | %.4f | %.4f | %+.4f | %+.4f .. %+.4f | %.3g |", p.metric().key(),
          p.metric().higherIsBetter() ? "higher" : "lower", p.x(), p.meanA(), p.meanX(), p.meanDifference(), p.interval().low(),
          p.interval().high(), p.wilcoxon().pValue()));
      if (multipleComparisons()) {
        md.append(String.format(Locale.ROOT, " %.3g |", holmAdjusted(p)));
      }
      md.append(String.format(Locale.ROOT, " %d/%d/%d | %d |%n", p.wins(), p.ties(), p.losses(), p.caseIds().size()));
    }
    if (multipleComparisons()) {
      md.append("\n").append(multipleComparisonNote()).append("\n");
    }
    return md.toString();
  }

  private static double mean(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }

  private static Double number(double value) {
    return Double.isFinite(value) ? value : null;
  }
}

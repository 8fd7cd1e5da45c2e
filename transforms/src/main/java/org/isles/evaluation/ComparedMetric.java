package org.isles.evaluation;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.isles.metrics.CaseMetrics;

/** A per-case metric that {@code isles compare} pairs across runs, with the direction that is better. */
public enum ComparedMetric {
  DICE("dice", true, CaseMetrics::dice),
  LESION_F1("lesion_f1", true, CaseMetrics::lesionF1),
  AVD_ML("avd_ml", false, CaseMetrics::absoluteVolumeDifferenceMl),
  ALD("ald", false, CaseMetrics::absoluteLesionCountDifference),
  HD95("hd95", false, m -> m.boundary().hausdorff95Mm());

  public static final String DEFAULT_LIST = "dice,lesion_f1,avd_ml,ald,hd95";

  private final String key;
  private final boolean higherIsBetter;
  private final ToDoubleFunction<CaseMetrics> value;

  ComparedMetric(String key, boolean higherIsBetter, ToDoubleFunction<CaseMetrics> value) {
    this.key = key;
    this.higherIsBetter = higherIsBetter;
    this.value = value;
  }

  /** The name in flags, compare.json and the history file. */
  public String key() {
    return key;
  }

  public boolean higherIsBetter() {
    return higherIsBetter;
  }

  /** The case's value; NaN when undefined (HD95 with an empty mask). */
  public double of(CaseMetrics metrics) {
    return value.applyAsDouble(metrics);
  }

  /** How much worse {@code x} is than {@code a}: positive when worse, in the metric's unit. */
  public double worsening(double a, double x) {
    return higherIsBetter ? a - x : x - a;
  }

  public static ComparedMetric parse(String key) {
    return Arrays.stream(values())
        .filter(m -> m.key.equals(key.strip()))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown metric '" + key + "': use " + DEFAULT_LIST));
  }

  public static List<ComparedMetric> parseList(String keys) {
    return Arrays.stream(keys.split(",")).map(ComparedMetric::parse).distinct().toList();
  }
}

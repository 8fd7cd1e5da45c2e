package org.isles.evaluation;

import java.util.Arrays;

/**
 * How a ground-truth case counts when its prediction is missing or broken (unreadable, truncated,
 * off its ground truth's grid, NaN or outside [0, 1]). Missing and broken share the rule: neither
 * may leave a case out of the means, since leaving out a case the model got wrong raises them.
 */
public enum BrokenPredictionRule {
  /** Scored as an empty prediction: Dice 0 on a case with lesions, 1 on an empty ground truth. */
  EMPTY("empty", "a ground-truth case whose prediction is missing or broken (unreadable, truncated, off the ground"
      + " truth's grid, NaN or outside [0, 1]) is scored as an empty prediction and listed under missing_predictions"
      + " or broken_predictions with its cause; no case is left out of the means for its prediction"),
  /** No mean is reported while any prediction is missing or broken. */
  REFUSE("refuse", "no mean is reported while any ground-truth case's prediction is missing or broken (unreadable,"
      + " truncated, off the ground truth's grid, NaN or outside [0, 1]): summary.json then lists them under"
      + " missing_predictions and broken_predictions, states mean_refused, and holds no metric");

  private final String label;
  private final String rule;

  BrokenPredictionRule(String label, String rule) {
    this.label = label;
    this.rule = rule;
  }

  /** The {@code --broken-predictions} value and the summary's {@code rules.broken_predictions}. */
  public String label() {
    return label;
  }

  /** The rule in words, as summary.json states it. */
  public String rule() {
    return rule;
  }

  public static BrokenPredictionRule parse(String label) {
    return Arrays.stream(values())
        .filter(value -> value.label.equals(label))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("--broken-predictions must be empty or refuse, got '" + label + "'"));
  }
}

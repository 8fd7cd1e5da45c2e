package org.isles.cli;

import org.isles.evaluation.Thresholds;
import picocli.CommandLine.Option;

/**
 * The threshold sweep of isles evaluate and isles run. Each command gives its own default sweep by
 * the value it constructs this with, which picocli shows as ${DEFAULT-VALUE}.
 */
final class ThresholdMixin {
  @Option(names = "--thresholds",
      description = "Threshold sweep: a comma list, or first,second,...,last (default: ${DEFAULT-VALUE}). isles run sweeps wider than"
          + " isles evaluate's reference sweep (0.02..0.5): a model trained with foreground oversampling can be best above 0.5.")
  String thresholds;

  ThresholdMixin(String defaultSweep) {
    this.thresholds = defaultSweep;
  }

  double[] values() {
    return Thresholds.parse(thresholds);
  }
}

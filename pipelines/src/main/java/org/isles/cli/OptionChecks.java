package org.isles.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.isles.evaluation.Thresholds;
import org.isles.pipelines.RunnerSettings;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * Option values checked at the start of every command's {@code call()}, so that a bad value stops
 * the command before a pipeline or any other work starts: generic rules (counts, output paths)
 * here, a value's own rule through {@link #accepted} from the class that owns it. Values whose
 * owner already refuses them first thing in {@code call()} (isles evaluate's rules) need no entry.
 * A broken value is a {@link ParameterException}, which {@link IslesCli} prints as one line
 * ({@code isles CMD: error: invalid value for option '--spacing': '0' (...)}) with exit status 2,
 * as picocli does for values it cannot parse. Null values are options left out: nothing to check.
 */
final class OptionChecks {
  private final CommandSpec spec;

  private OptionChecks(CommandSpec spec) {
    this.spec = spec;
  }

  static OptionChecks of(CommandSpec spec) {
    return new OptionChecks(spec);
  }

  /** A positive, finite number (mm, mL, GB, a temperature). */
  OptionChecks positive(String option, Number value) {
    if (value != null && !isPositiveFinite(value.doubleValue())) {
      throw invalid(option, value, "must be a positive, finite number");
    }
    return this;
  }

  /** A count of at least {@code min}: cases, folds, workers, voxels, threads. */
  OptionChecks atLeast(String option, Number value, long min) {
    if (value != null && value.longValue() < min) {
      throw invalid(option, value, "must be at least " + min);
    }
    return this;
  }

  /** Every entry of a list (fold numbers, seeds) at least {@code min}. */
  OptionChecks eachAtLeast(String option, List<Integer> values, long min) {
    if (values != null && values.stream().anyMatch(v -> v < min)) {
      throw invalid(option, values, "every value must be at least " + min);
    }
    return this;
  }

  /** A folder to write into: absent (it is created) or a directory, never an existing file. */
  OptionChecks outputDirectory(String option, Path dir) {
    if (dir != null && Files.exists(dir) && !Files.isDirectory(dir)) {
      throw invalid(option, dir, "is an existing file, not a directory");
    }
    return this;
  }

  /** A file to write: not an existing directory, and not below an existing file. */
  OptionChecks outputFile(String option, Path file) {
    if (file == null) {
      return this;
    }
    if (Files.isDirectory(file)) {
      throw invalid(option, file, "is an existing directory, not a file");
    }
    for (Path parent = file.toAbsolutePath().getParent(); parent != null; parent = parent.getParent()) {
      if (Files.exists(parent) && !Files.isDirectory(parent)) {
        throw invalid(option, file, parent + " is a file, not a directory");
      }
    }
    return this;
  }

  /**
   * A value the owner of its rule accepts: {@code owner} builds what the value is for (a target
   * spacing, a threshold list, a budget) and throws IllegalArgumentException when it is wrong, so
   * the rule lives in one place and is only applied here before any work starts.
   */
  <T> OptionChecks accepted(String option, T value, Function<T, ?> owner) {
    if (value != null) {
      try {
        owner.apply(value);
      } catch (IllegalArgumentException e) {
        throw invalid(option, value instanceof double[] values ? Arrays.toString(values) : value, e.getMessage());
      }
    }
    return this;
  }

  /** Fold numbers and the cases a job caches are counts. */
  OptionChecks training(TrainingMixin training) {
    return eachAtLeast("--folds", training.folds, 0).atLeast("--cached-cases", training.cachedCases, 0);
  }

  OptionChecks inference(InferenceMixin inference) {
    return accepted("--tta", inference.tta, InferenceMixin::augmentation);
  }

  OptionChecks thresholds(ThresholdMixin thresholds) {
    return accepted("--thresholds", thresholds.thresholds, Thresholds::parse);
  }

  /** The runner flags every pipeline command shares. */
  OptionChecks runner(RunnerOptions runner) {
    return accepted("--parallelism", runner.parallelism, n -> new RunnerSettings(RunnerSettings.DIRECT, n, runner.flinkMaster))
        .accepted("--runner", runner.runner, name -> new RunnerSettings(name, 0, runner.flinkMaster));
  }

  private ParameterException invalid(String option, Object value, String rule) {
    return new ParameterException(spec.commandLine(),
        "invalid value for option '" + option + "': '" + typed(option, value) + "' (" + rule + ")");
  }

  /** What the user typed, where picocli kept it ("2,0,2" rather than [2.0, 0.0, 2.0]). */
  private String typed(String option, Object value) {
    OptionSpec spec = this.spec.findOption(option);
    List<String> typed = spec == null ? List.of() : spec.originalStringValues();
    return typed.isEmpty() ? String.valueOf(value) : String.join(" ", typed);
  }

  private static boolean isPositiveFinite(double value) {
    return value > 0 && Double.isFinite(value);
  }
}

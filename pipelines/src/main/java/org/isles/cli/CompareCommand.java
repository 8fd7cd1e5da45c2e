package org.isles.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.isles.evaluation.ComparedMetric;
import org.isles.evaluation.ComparisonFiles;
import org.isles.evaluation.EvaluationRun;
import org.isles.evaluation.RunComparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Parameters;

@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description = {
      "Compare evaluations case by case: every EVAL_X against the first, EVAL_A, on the cases they all have.",
      "Per metric: the means, the mean paired difference X - A with a bootstrap 95%% CI, the paired Wilcoxon",
      "signed-rank p-value and win/tie/loss counts. Writes OUT/compare.json, OUT/compare.md and",
      "OUT/paired_METRIC.png, and prints the table. With --fail-if-worse it exits with status 3 when a run",
      "is worse than A by more than the margin and the CI excludes zero."
    })
final class CompareCommand implements Callable<Integer> {
  /** Exit status of a regression found by --fail-if-worse. */
  static final int REGRESSION = 3;
  static final String DEFAULT_THRESHOLD = "best";
  static final int DEFAULT_BOOTSTRAP = 10000;
  static final long DEFAULT_SEED = 0;

  @Parameters(arity = "2..*", paramLabel = "EVAL", description = "Evaluation folders (isles evaluate --out-dir, or OUT/eval of isles run); the first is A.")
  List<Path> evals;

  @Option(names = "--out", required = true, description = "Output directory.")
  Path out;

  @Option(names = "--metrics", defaultValue = ComparedMetric.DEFAULT_LIST, description = "Metrics to compare (default: ${DEFAULT-VALUE}).")
  String metrics;

  @Option(names = "--threshold", defaultValue = DEFAULT_THRESHOLD,
      description = "best (each run's best threshold by mean Dice, default), validation (its selected_on_validation threshold) or a threshold of the sweeps.")
  String threshold;

  @Option(names = "--bootstrap", defaultValue = "" + DEFAULT_BOOTSTRAP, description = "Bootstrap resamples (default: ${DEFAULT-VALUE}).")
  int bootstrap;

  @Option(names = "--seed", defaultValue = "" + DEFAULT_SEED, description = "Seed of the bootstrap (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--fail-if-worse", paramLabel = "METRIC:MARGIN[,...]",
      description = "e.g. dice:0.01: exit 3 when a run is worse than A by more than the margin with the 95%% CI excluding zero.")
  String failIfWorse;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    OptionChecks.of(spec).outputDirectory("--out", out).atLeast("--bootstrap", bootstrap, 1);
    List<RunComparison.Margin> margins = failIfWorse == null ? List.of() : RunComparison.Margin.parseList(failIfWorse);
    List<ComparedMetric> compared = ComparedMetric.parseList(metrics);
    if (bootstrap < 1) {
      throw new IllegalArgumentException("--bootstrap must be at least 1, got " + bootstrap);
    }
    return run(new Request(evals, out, compared, threshold, bootstrap, seed, margins)).isEmpty() ? 0 : REGRESSION;
  }

  /** What a comparison needs; {@code threshold} as --threshold takes it. */
  record Request(List<Path> evals, Path out, List<ComparedMetric> metrics, String threshold, int bootstrap, long seed,
      List<RunComparison.Margin> margins) {
    /** isles compare EVALS --out OUT without other options. */
    static Request defaults(List<Path> evals, Path out) {
      return new Request(evals, out, ComparedMetric.parseList(ComparedMetric.DEFAULT_LIST), DEFAULT_THRESHOLD, DEFAULT_BOOTSTRAP,
          DEFAULT_SEED, List.of());
    }
  }

  /** Compares, writes and prints the table; returns the regressions beyond the request's margins, each printed. */
  static List<String> run(Request request) {
    Path out = request.out();
    RunComparison comparison = compare(request.evals(), request.metrics(), request.threshold(), request.bootstrap(), request.seed(), out);
    if (!comparison.casesNotInAllRuns().isEmpty()) {
      System.err.printf("%d cases are not in every evaluation and are left out: %s%n", comparison.casesNotInAllRuns().size(),
          String.join(", ", comparison.casesNotInAllRuns()));
    }
    System.out.print(comparison.toMarkdown());
    System.out.println("Written: " + out.resolve(ComparisonFiles.JSON) + ", " + out.resolve(ComparisonFiles.MARKDOWN));
    List<String> regressions = comparison.regressions(request.margins());
    regressions.forEach(System.err::println);
    return regressions;
  }

  /** Reads the evaluations, compares them and writes the comparison files into {@code out}. */
  static RunComparison compare(List<Path> evals, List<ComparedMetric> metrics, String threshold, int bootstrap, long seed, Path out) {
    List<EvaluationRun> runs = evals.stream().map(dir -> EvaluationRun.read(dir, threshold)).toList();
    RunComparison comparison = new RunComparison(runs, metrics, bootstrap, seed);
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new IllegalArgumentException("--out " + out + " is a file, not a directory");
    }
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + out + ": " + e.getMessage(), e);
    }
    ComparisonFiles.write(out, comparison);
    return comparison;
  }
}

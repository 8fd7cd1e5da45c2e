package org.isles.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.isles.dataset.ProcessedStore;
import org.isles.split.CrossValidationSplit;
import org.isles.split.SplitCase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "split",
    mixinStandardHelpOptions = true,
    description = {
      "Split preprocessed cases into a fixed test set and k cross-validation folds,",
      "stratified by slice thickness (3 mm) and lesion volume; a seed fixes the split."
    })
final class SplitCommand implements Callable<Integer> {
  static final int DEFAULT_FOLDS = 5;
  static final double DEFAULT_TEST_FRACTION = 0.2;
  static final long DEFAULT_SEED = 42;

  @Option(names = "--processed", required = true, description = "Preprocessed data (output of isles preprocess).")
  Path processed;

  @Option(names = "--out", required = true, description = "Split file to write (JSON).")
  Path out;

  @Option(names = "--folds", defaultValue = "" + DEFAULT_FOLDS, description = "Cross-validation folds (default: ${DEFAULT-VALUE}).")
  int folds;

  @Option(names = "--test-fraction", defaultValue = "" + DEFAULT_TEST_FRACTION, description = "Share of cases held out for test (default: ${DEFAULT-VALUE}).")
  double testFraction;

  @Option(names = "--seed", defaultValue = "" + DEFAULT_SEED, description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    OptionChecks.of(spec).outputFile("--out", out);
    run(new Request(processed, out, folds, testFraction, seed));
    return 0;
  }

  record Request(Path processed, Path out, int folds, double testFraction, long seed) {
    /** The split isles split makes without options. */
    static Request defaults(Path processed, Path out) {
      return new Request(processed, out, DEFAULT_FOLDS, DEFAULT_TEST_FRACTION, DEFAULT_SEED);
    }
  }

  /** Splits the processed cases and writes the split file, printing its sizes. */
  static void run(Request request) {
    List<SplitCase> cases = new ProcessedStore(request.processed()).records().stream()
        .map(r -> new SplitCase(r.getCaseId(), r.getSliceThicknessMm(), r.getLesionVolumeMl()))
        .toList();
    CrossValidationSplit split = CrossValidationSplit.of(cases, request.folds(), request.testFraction(), request.seed());
    split.write(request.out());
    System.out.printf("split %d cases: %d test, %d folds of %s validation cases -> %s%n", cases.size(), split.test().size(),
        request.folds(), split.folds().stream().map(f -> String.valueOf(f.val().size())).toList(), request.out());
  }
}

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
  @Option(names = "--processed", required = true, description = "Preprocessed data (output of isles preprocess).")
  Path processed;

  @Option(names = "--out", required = true, description = "Split file to write (JSON).")
  Path out;

  @Option(names = "--folds", defaultValue = "5", description = "Cross-validation folds (default: ${DEFAULT-VALUE}).")
  int folds;

  @Option(names = "--test-fraction", defaultValue = "0.2", description = "Share of cases held out for test (default: ${DEFAULT-VALUE}).")
  double testFraction;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    OptionChecks.of(spec).outputFile("--out", out);
    List<SplitCase> cases = new ProcessedStore(processed).records().stream()
        .map(r -> new SplitCase(r.getCaseId(), r.getSliceThicknessMm(), r.getLesionVolumeMl()))
        .toList();
    CrossValidationSplit split = CrossValidationSplit.of(cases, folds, testFraction, seed);
    split.write(out);
    System.out.printf("split %d cases: %d test, %d folds of %s validation cases -> %s%n", cases.size(), split.test().size(),
        folds, split.folds().stream().map(f -> String.valueOf(f.val().size())).toList(), out);
    return 0;
  }
}

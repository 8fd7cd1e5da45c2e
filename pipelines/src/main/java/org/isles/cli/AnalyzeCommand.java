package org.isles.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.isles.evaluation.EvaluationAnalysis;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    description = {
      "Explain an evaluation: cases sorted by Dice, the worst with their error type, a report and plots.",
      "Writes into --eval-dir: cases_sorted.csv, worst_cases.csv, analysis_report.json, threshold_sweep.png, dice_by_lesion_size.png."
    })
final class AnalyzeCommand implements Callable<Integer> {
  static final int DEFAULT_TOP_K = 20;

  @Option(names = "--eval-dir", required = true, description = "Output directory of isles evaluate.")
  Path evalDir;

  @Option(names = "--top-k", defaultValue = "" + DEFAULT_TOP_K, description = "How many worst cases to list (default ${DEFAULT-VALUE}).")
  int topK;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    OptionChecks.of(spec).atLeast("--top-k", topK, 1);
    run(evalDir, topK);
    return 0;
  }

  /** Analyzes the evaluation in {@code evalDir}, listing its {@code topK} worst cases, and prints the error types. */
  static void run(Path evalDir, int topK) {
    EvaluationAnalysis.Report report = EvaluationAnalysis.analyze(evalDir, topK);
    System.out.printf("analyzed %s cases at threshold %s; error types %s (%s)%n",
        report.nCases(), report.bestThreshold(), report.errorTypes(), evalDir.resolve(EvaluationAnalysis.REPORT));
  }
}

package org.isles.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.isles.evaluation.EvaluationAnalysis;
import org.isles.evaluation.EvaluationRules;
import org.isles.evaluation.Thresholds;
import org.isles.model.inference.Precision;
import org.isles.model.inference.TestTimeAugmentation;
import org.isles.pipelines.OutputFolder;
import org.isles.pipelines.RunLayout;
import org.isles.pipelines.RunnerSettings;
import org.isles.pipelines.evaluate.ScoreCases;
import org.isles.pipelines.predict.CaseSelection;
import org.isles.pipelines.preprocess.PreprocessCases;
import org.isles.pipelines.train.TrainFolds;
import org.isles.preprocess.PreprocessingSettings;

/**
 * The stages of {@code isles run}, each through the typed {@code run(...)} of the command a user
 * would run by hand, with that command's defaults for everything the stage does not set and this
 * run's runner and --overwrite. A stage whose outputs exist is skipped (unless the run starts
 * over); one that runs prints {@code == STAGE: isles COMMAND ARGS}, the command line that does
 * the same by hand. Its own printing follows; cases that failed are reported and the run goes on
 * without them; a stage that cannot run prints its one-line error, as the command would, and
 * stops the run with {@code stage STAGE failed (exit status 2)}.
 */
final class Stages {
  private final RunnerSettings runner;
  private final boolean overwrite;
  private final List<String> timings = new ArrayList<>();

  Stages(RunnerSettings runner, boolean overwrite) {
    this.runner = runner;
    this.overwrite = overwrite;
  }

  /** One line per stage so far: its name and seconds, or skipped. */
  List<String> timings() {
    return List.copyOf(timings);
  }

  /** Resamples to {@code spacingMm} and normalizes every case of {@code input} into {@code out}. */
  void preprocess(Path input, Path out, double[] spacingMm, String caseMemoryBudget) {
    List<String> args = withRunner("--input", input.toString(), "--out", out.toString(), "--spacing",
        spacingMm[0] + "," + spacingMm[1] + "," + spacingMm[2], PreprocessCommand.CASE_MEMORY_BUDGET, caseMemoryBudget);
    run("preprocess", "preprocess", finished(out, PreprocessCases.PROGRESS, input), args, () -> PreprocessCommand.run(
        new PreprocessCommand.Request(input, out, PreprocessingSettings.spacing(spacingMm), caseMemoryBudget, overwrite, runner)));
  }

  /** The split file {@code out} of the processed cases, with isles split's defaults. */
  void split(Path processed, Path out) {
    run("split", "split", !overwrite && Files.exists(out), List.of("--processed", processed.toString(), "--out", out.toString()), () -> {
      SplitCommand.run(SplitCommand.Request.defaults(processed, out));
      return StageStatus.SUCCEEDED;
    });
  }

  /** Every fold x seed of {@code training} into {@code out}, each job resumed from its last checkpoint when it has one. */
  void train(TrainingMixin training, Path processed, Path splits, Path out) {
    List<String> args = withRunner("--config", training.config.toString(), "--processed", processed.toString(), "--splits",
        splits.toString(), "--out", out.toString(), "--seeds", join(training.seeds), "--resume", "--cached-cases",
        String.valueOf(training.cachedCases));
    if (training.folds != null) {
      args.addAll(List.of("--folds", join(training.folds)));
    }
    run("train", "train", finished(out, TrainFolds.PROGRESS, processed), args, () -> TrainCommand.run(new TrainCommand.Request(
        training.config, processed, splits, out, training.folds, training.seeds, null, true, null, training.cachedCases, overwrite,
        runner)));
  }

  /** Each trained fold's validation cases, predicted by that fold's models (out of fold). */
  void predictValidation(Path run, Path input, Path out, TestTimeAugmentation tta, Precision precision) {
    predict("predict-val", run, input, out, CaseSelection.VALIDATION, tta, precision);
  }

  /** The run's held-out test cases, predicted by the ensemble of all its models. */
  void predictTest(Path run, Path input, Path out, TestTimeAugmentation tta, Precision precision) {
    predict("predict", run, input, out, CaseSelection.TEST, tta, precision);
  }

  /** Scores the out-of-fold predictions of {@code cases} over {@code sweep} and chooses the threshold and post-processing on them. */
  void selectOnValidation(Path predictions, Path groundTruth, Path out, Path cases, String sweep) {
    List<String> args = evaluateArgs(predictions, groundTruth, out, cases, sweep, "--select-settings");
    evaluate("select-val", args, new EvaluateCommand.Request(predictions, groundTruth, out, rules(sweep), cases, true, null, null, null,
        overwrite, runner));
  }

  /**
   * Scores the test predictions over {@code sweep} and at the settings of {@code selection}; with a
   * {@code history} file, appends a row named {@code runName} to it.
   */
  void evaluateTest(Path predictions, Path groundTruth, Path out, Path cases, String sweep, Path selection, Path history,
      String runName) {
    List<String> args = evaluateArgs(predictions, groundTruth, out, cases, sweep, "--selected", selection.toString());
    if (history != null) {
      args.addAll(List.of("--history", history.toString(), "--run-name", runName));
    }
    evaluate("evaluate", args, new EvaluateCommand.Request(predictions, groundTruth, out, rules(sweep), cases, false, selection, history,
        history == null ? null : runName, overwrite, runner));
  }

  /** Explains the evaluation in {@code evalDir}, with isles analyze's defaults. */
  void analyze(Path evalDir) {
    run("analyze", "analyze", !overwrite && Files.exists(evalDir.resolve(EvaluationAnalysis.REPORT)),
        List.of("--eval-dir", evalDir.toString()), () -> {
          AnalyzeCommand.run(evalDir, AnalyzeCommand.DEFAULT_TOP_K);
          return StageStatus.SUCCEEDED;
        });
  }

  /** Compares the evaluation {@code eval} with a {@code previous} one into {@code out}, with isles compare's defaults. */
  void compare(Path previous, Path eval, Path out) {
    run("compare", "compare", false, List.of(previous.toString(), eval.toString(), "--out", out.toString()), () -> {
      CompareCommand.run(CompareCommand.Request.defaults(List.of(previous, eval), out));
      return StageStatus.SUCCEEDED;
    });
  }

  /** The HTML report of the run folder {@code runDir}, written where its {@link RunLayout} puts it. */
  void report(Path runDir) {
    run("report", "report-html", false, List.of("--run-dir", runDir.toString()), () -> {
      HtmlReportCommand.run(runDir, new RunLayout(runDir).report());
      return StageStatus.SUCCEEDED;
    });
  }

  private void predict(String stage, Path run, Path input, Path out, String cases, TestTimeAugmentation tta, Precision precision) {
    List<String> args = withRunner("--run", run.toString(), "--input", input.toString(), "--out", out.toString(), "--cases", cases,
        "--tta", InferenceMixin.name(tta), "--precision", precision.id());
    run(stage, "predict", false, args,
        () -> PredictCommand.run(PredictCommand.Request.defaults(run, input, out, cases, tta, precision, overwrite, runner)));
  }

  /** A finished evaluation whose summary was removed is evaluated again. */
  private void evaluate(String stage, List<String> args, EvaluateCommand.Request request) {
    boolean done = finished(request.outDir(), ScoreCases.PROGRESS, request.probsDir())
        && Files.isRegularFile(RunLayout.evalSummary(request.outDir()));
    run(stage, "evaluate", done, args, () -> EvaluateCommand.run(request));
  }

  private List<String> evaluateArgs(Path predictions, Path groundTruth, Path out, Path cases, String sweep, String... selection) {
    List<String> args = new ArrayList<>(List.of("--probs-dir", predictions.toString(), "--gt", groundTruth.toString(), "--out-dir",
        out.toString(), "--cases", cases.toString(), "--thresholds", sweep));
    args.addAll(List.of(selection));
    return withRunner(args.toArray(String[]::new));
  }

  /** isles evaluate's rules without rule options, over {@code sweep}. */
  private static EvaluationRules rules(String sweep) {
    EvaluationRules reference = EvaluationRules.defaults();
    return reference.with(Thresholds.parse(sweep), reference.postProcessing());
  }

  /** A stage is skipped when its folder records a finished run from the same input, unless the run starts over. */
  private boolean finished(Path dir, String stage, Path stageInput) {
    return !overwrite && OutputFolder.isFinished(dir, stage, stageInput);
  }

  /** A pipeline command's arguments with this run's --overwrite and runner flags, as isles run has always printed them. */
  private List<String> withRunner(String... command) {
    List<String> args = new ArrayList<>(List.of(command));
    if (overwrite) {
      args.add("--overwrite");
    }
    args.addAll(List.of("--runner", runner.runner(), "--parallelism", "" + runner.parallelism(), "--flink-master", runner.flinkMaster()));
    return args;
  }

  private void run(String stage, String command, boolean skipped, List<String> args, Supplier<StageStatus> work) {
    if (skipped) {
      System.err.println("== " + stage + ": outputs exist, skipped");
      timings.add(String.format("%-10s skipped", stage));
      return;
    }
    System.err.println("== " + stage + ": isles " + command + " " + String.join(" ", args));
    long start = System.nanoTime();
    StageStatus status;
    try {
      status = work.get();
    } catch (RuntimeException e) {
      System.err.println(IslesCli.errorLine(command, e));
      throw new IllegalStateException("stage " + stage + " failed (exit status " + IslesCli.ERROR + ")", e);
    }
    timings.add(String.format("%-10s %7.1f s", stage, (System.nanoTime() - start) / 1e9));
    if (status == StageStatus.SOME_CASES_FAILED) {
      System.err.println("== " + stage + ": some cases failed (see its failures.json); the run goes on without them");
    }
  }

  private static String join(List<Integer> values) {
    return String.join(",", values.stream().map(String::valueOf).toList());
  }
}

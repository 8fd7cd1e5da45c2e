package org.isles.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.isles.evaluation.EvaluationAnalysis;
import org.isles.evaluation.EvaluationFiles;
import org.isles.evaluation.EvaluationRules;
import org.isles.evaluation.SelectedSettings;
import org.isles.evaluation.Summary;
import org.isles.evaluation.Thresholds;
import org.isles.io.AtomicFiles;
import org.isles.io.Json;
import org.isles.model.inference.CpuFeatures;
import org.isles.model.inference.Precision;
import org.isles.model.inference.PrecisionChoice;
import org.isles.model.run.TrainedRun;
import org.isles.model.training.TrainingConfig;
import org.isles.pipelines.OutputFolder;
import org.isles.pipelines.RunLayout;
import org.isles.pipelines.evaluate.ScoreCases;
import org.isles.pipelines.preprocess.PreprocessCases;
import org.isles.pipelines.train.TrainFolds;
import org.isles.pipelines.predict.CaseSelection;
import org.isles.pipelines.train.TrainingConfigFile;
import org.isles.preprocess.CaseMemoryBudget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The whole chain as one command. Each stage is the command a user would run by hand, with the
 * same flags; a stage whose outputs exist is skipped, so a stopped run continues where it was.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Preprocess, split, train every fold x seed, predict each trained fold's validation cases with that fold's",
      "models (out of fold) and choose a threshold and post-processing on them, predict the test cases with the",
      "ensemble, evaluate them at the chosen settings and with a threshold sweep (best_all), analyze and write",
      "OUT/report.html. Finished stages are skipped."
    })
final class RunCommand implements Callable<Integer> {
  /** Exit status of a stage that finished but reported failed cases. */
  private static final int SOME_CASES_FAILED = 1;
  private static final String FULL_SWEEP = "0.02,0.04,...,0.98";
  private static final double TRAINING_THRESHOLD = 0.5;

  @Option(names = "--config", required = true, description = "Run configuration (configs/NAME.yaml).")
  Path config;

  @Option(names = "--input", required = true, description = "ISLES 2022 root.")
  Path input;

  @Option(names = "--out", required = true, description = "Output directory of the run.")
  Path out;

  @Option(names = "--folds", split = ",", description = "Folds to train (default: all).")
  List<Integer> folds;

  @Option(names = "--seeds", split = ",", defaultValue = "0", description = "Seeds per fold (default: ${DEFAULT-VALUE}).")
  List<Integer> seeds;

  @Option(names = "--tta", defaultValue = "flip", description = "Test-time augmentation: none, flip (default) or full.")
  String tta;

  @Option(names = "--thresholds", defaultValue = FULL_SWEEP,
      description = {"Threshold sweep of the evaluation (default: ${DEFAULT-VALUE}). Wider than isles evaluate's",
          "reference sweep (0.02..0.5): a model trained with foreground oversampling can be best above 0.5."})
  String thresholds;

  @Option(names = "--cached-cases", defaultValue = "0",
      description = "Cases each training job keeps in memory (default: ${DEFAULT-VALUE}, all); see isles train --help.")
  int cachedCases;

  @Option(names = PreprocessCommand.CASE_MEMORY_BUDGET, defaultValue = CaseMemoryBudget.AUTO, paramLabel = "SIZE",
      description = "Heap one case may need in preprocessing (default: ${DEFAULT-VALUE}); see isles preprocess --help.")
  String caseMemoryBudget;

  @Option(names = "--precision", paramLabel = "fp32|bf16|int8|auto",
      description = "What the predict stages' networks compute in (default: the config's precision, auto when it has none);"
          + " see isles predict --help. Training computes in float32.")
  String precision;

  @Option(names = "--overwrite",
      description = "Start over: run every stage again, replacing what OUT holds (OUT of another input is refused without this flag).")
  boolean overwrite;

  @Option(names = "--history", paramLabel = "FILE.csv", description = "Append the evaluation to this history file (see isles evaluate --history).")
  Path history;

  @Option(names = "--compare-to", paramLabel = "PREV_EVAL",
      description = "A previous evaluation (e.g. OTHER_OUT/eval): compare this run's test cases with it into OUT/compare (isles compare) and link it in the report.")
  Path compareTo;

  @Mixin RunnerOptions runner;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    OptionChecks.of(spec).outputDirectory("--out", out).eachAtLeast("--folds", folds, 0).accepted("--tta", tta, PredictCommand::augmentation)
        .accepted("--thresholds", thresholds, Thresholds::parse).atLeast("--cached-cases", cachedCases, 0)
        .accepted(PreprocessCommand.CASE_MEMORY_BUDGET, caseMemoryBudget, text -> CaseMemoryBudget.parse(text, 1))
        .accepted("--precision", precision, Precision::parse).runner(runner);
    long start = System.nanoTime();
    TrainingConfig training = TrainingConfigFile.read(config);
    Precision predictPrecision = precision != null ? Precision.parse(precision) : training.precision();
    // the run trains its own networks, so only a value no engine here serves (int8) can fail: fail before training
    PrecisionChoice.resolve(predictPrecision, CpuFeatures.ofThisMachine(), Map.of());
    RunLayout layout = layout();
    Path processed = layout.processed();
    Path splits = layout.splits();
    Path run = layout.run(training.name());
    Path predictions = layout.predictions();
    Path eval = layout.eval();
    requireSameInput();
    AtomicFiles.removeLeftovers(out);
    recordRun(predictPrecision);
    List<String> timings = new ArrayList<>();

    stage(timings, "preprocess", finished(processed, PreprocessCases.PROGRESS, input),
        withRunner("preprocess", "--input", input.toString(), "--out", processed.toString(), "--spacing", spacing(training),
            PreprocessCommand.CASE_MEMORY_BUDGET, caseMemoryBudget));
    stage(timings, "split", !overwrite && Files.exists(splits),
        List.of("split", "--processed", processed.toString(), "--out", splits.toString()));
    List<String> train = withRunner("train", "--config", config.toString(), "--processed", processed.toString(),
        "--splits", splits.toString(), "--out", run.toString(), "--seeds", join(seeds), "--resume",
        "--cached-cases", String.valueOf(cachedCases));
    if (folds != null) {
      train.addAll(List.of("--folds", join(folds)));
    }
    stage(timings, "train", finished(run, TrainFolds.PROGRESS, processed), train);
    Path validationPredictions = layout.validationPredictions();
    Path validationEval = layout.validationEval();
    Path selection = RunLayout.selection(validationEval);
    stage(timings, "predict-val", false,
        withRunner("predict", "--run", run.toString(), "--input", input.toString(), "--out", validationPredictions.toString(),
            "--cases", CaseSelection.VALIDATION, "--tta", tta, "--precision", predictPrecision.id()));
    stage(timings, "select-val", finished(validationEval, ScoreCases.PROGRESS, validationPredictions),
        withRunner("evaluate", "--probs-dir", validationPredictions.toString(), "--gt", input.toString(),
            "--out-dir", validationEval.toString(), "--cases", validationCases(run).toString(), "--thresholds", thresholds,
            "--select-settings"));
    stage(timings, "predict", false,
        withRunner("predict", "--run", run.toString(), "--input", input.toString(), "--out", predictions.toString(),
            "--cases", "test", "--tta", tta, "--precision", predictPrecision.id()));
    List<String> evaluate = withRunner("evaluate", "--probs-dir", predictions.toString(), "--gt", input.toString(), "--out-dir",
        eval.toString(), "--cases", splits.toString(), "--thresholds", thresholds, "--selected", selection.toString());
    if (history != null) {
      evaluate.addAll(List.of("--history", history.toString(), "--run-name", out.toAbsolutePath().normalize().getFileName().toString()));
    }
    // A finished evaluation whose summary was removed is evaluated again.
    stage(timings, "evaluate", finished(eval, ScoreCases.PROGRESS, predictions) && Files.isRegularFile(RunLayout.evalSummary(eval)),
        evaluate);
    stage(timings, "analyze", !overwrite && Files.exists(eval.resolve(EvaluationAnalysis.REPORT)),
        List.of("analyze", "--eval-dir", eval.toString()));
    if (compareTo != null) {
      stage(timings, "compare", false, List.of("compare", compareTo.toString(), eval.toString(), "--out", layout.comparison().toString()));
    }
    stage(timings, "report", false, List.of("report-html", "--run-dir", out.toString()));

    printSummary(RunLayout.evalSummary(eval), Duration.ofNanos(System.nanoTime() - start), timings);
    return someCaseFailed(processed, run, validationPredictions, validationEval, predictions, eval) ? SOME_CASES_FAILED : 0;
  }

  /** Every pipeline stage leaves its failures.json, skipped stages too (from the run that finished them). */
  private static boolean someCaseFailed(Path... stageFolders) {
    for (Path folder : stageFolders) {
      Path failures = RunLayout.failures(folder);
      if (Files.isRegularFile(failures) && !Json.read(failures, List.class).isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** A stage is skipped when its folder records a finished run from the same input, unless the run starts over. */
  private boolean finished(Path dir, String stage, Path stageInput) {
    return !overwrite && OutputFolder.isFinished(dir, stage, stageInput);
  }

  private RunLayout layout() {
    return new RunLayout(out);
  }

  /** OUT of another input's run is refused unless --overwrite. */
  private void requireSameInput() {
    Path record = layout().command();
    String here = input.toAbsolutePath().normalize().toString();
    if (!overwrite && Files.isRegularFile(record)) {
      String recorded = Json.read(record, JsonNode.class).path("input").asText();
      if (!Path.of(recorded).normalize().toString().equals(here)) {
        throw new IllegalArgumentException(out + " holds cases of " + recorded + ", not " + here + "; use --overwrite");
      }
    }
  }

  /** The out-of-fold set: the validation cases of every trained fold, one id a line. */
  private Path validationCases(Path run) {
    TrainedRun trained = TrainedRun.open(run);
    List<String> ids = new ArrayList<>();
    trained.folds().forEach(fold -> ids.addAll(trained.validationCases(fold)));
    Path file = layout().validationCases();
    AtomicFiles.writeBytes(file, (String.join("\n", ids) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return file;
  }

  private void recordRun(Precision predictPrecision) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("input", input.toAbsolutePath().toString());
    json.put("config", config.toAbsolutePath().toString());
    json.put("folds", folds);
    json.put("seeds", seeds);
    json.put("tta", tta);
    json.put("precision", predictPrecision.id());
    json.put("thresholds", thresholds);
    json.put("runner", runner.settings().runner());
    json.put("compare_to", compareTo == null ? null : compareTo.toAbsolutePath().toString());
    Json.write(layout().command(), json);
  }

  /** A pipeline stage's command with this run's runner flags (and --overwrite when starting over). */
  private List<String> withRunner(String... command) {
    List<String> args = new ArrayList<>(List.of(command));
    if (overwrite) {
      args.add("--overwrite");
    }
    args.addAll(List.of("--runner", runner.runner, "--parallelism", "" + runner.parallelism, "--flink-master", runner.flinkMaster));
    return args;
  }

  private static void stage(List<String> timings, String name, boolean done, List<String> command) {
    if (done) {
      System.err.println("== " + name + ": outputs exist, skipped");
      timings.add(String.format("%-10s skipped", name));
      return;
    }
    System.err.println("== " + name + ": isles " + String.join(" ", command));
    long start = System.nanoTime();
    int exit = IslesCli.execute(command.toArray(String[]::new));
    double seconds = (System.nanoTime() - start) / 1e9;
    timings.add(String.format("%-10s %7.1f s", name, seconds));
    if (exit == SOME_CASES_FAILED) {
      System.err.println("== " + name + ": some cases failed (see its failures.json); the run goes on without them");
    } else if (exit != 0) {
      throw new IllegalStateException("stage " + name + " failed (exit status " + exit + ")");
    }
  }

  private static String spacing(TrainingConfig training) {
    double[] mm = training.spacingMm();
    return mm[0] + "," + mm[1] + "," + mm[2];
  }

  private static String join(List<Integer> values) {
    return String.join(",", values.stream().map(String::valueOf).toList());
  }

  private void printSummary(Path summaryFile, Duration elapsed, List<String> timings) {
    Summary summary = Summary.read(summaryFile.getParent());
    System.out.println();
    Summary.SelectedOnValidation selected = summary.selectedOnValidation();
    if (selected != null) {
      System.out.printf("Test set, %d cases, at the settings chosen on %d out-of-fold validation cases: threshold %s, %s%n",
          selected.nCases(), selected.nCasesChosenOn(), selected.threshold(), selected.postProcessing().options().description());
      System.out.printf("  mean Dice                %.4f (validation %.4f)%n", selected.meanDice(), selected.validationMeanDice());
      printMetrics(selected.extraMetrics());
    }
    if (summary.meanRefused() != null) {
      System.out.printf("Test set: no mean reported: %s%n", summary.meanRefused());
    } else {
      Summary.AtThreshold atTraining = summary.at(TRAINING_THRESHOLD);
      System.out.printf("Test set, %d cases, best_all: threshold %s, the best by mean Dice on the test cases themselves:%n",
          summary.perThreshold().get(0).nCases(), summary.bestThresholdByMeanDice());
      System.out.printf("  mean Dice                %.4f (%.4f at %s, the threshold of validation in training)%n",
          summary.meanDice(), atTraining == null ? null : atTraining.meanDice(), TRAINING_THRESHOLD);
      printMetrics(summary.extraMetricsBest());
    }
    System.out.println("Stages:");
    timings.forEach(line -> System.out.println("  " + line));
    System.out.printf("Total %d min %02d s. Summary: %s%nReport:  %s%n",
        elapsed.toMinutes(), elapsed.toSecondsPart(), summaryFile.toAbsolutePath(), layout().report().toAbsolutePath());
  }

  private static void printMetrics(Summary.ExtraMetrics metrics) {
    Summary.Lesionwise lesions = metrics.lesionwise();
    System.out.printf("  lesion-wise F1 (micro)   %.4f (precision %.4f, recall %.4f)%n", lesions.f1Micro(),
        lesions.precisionMicro(), lesions.recallMicro());
    System.out.printf("  false components / case  %.2f%n", metrics.meanFpCc());
    System.out.printf("  volume diff (mL)         mean %.2f, mean abs %.2f%n",
        metrics.volumeDiffMl().mean(), metrics.volumeDiffMl().meanAbs());
    System.out.printf("  lesion-count diff        mean %.2f, mean abs %.2f%n",
        metrics.lesionCountDiff().mean(), metrics.lesionCountDiff().meanAbs());
    System.out.printf("  HD95 (mm)                %.2f%n", metrics.boundaryDistanceMm().hd95());
  }
}

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
import org.isles.evaluation.EvaluationFiles;
import org.isles.evaluation.EvaluationRules;
import org.isles.evaluation.SelectedSettings;
import org.isles.io.AtomicFiles;
import org.isles.io.Json;
import org.isles.model.inference.TestTimeAugmentation;
import org.isles.model.run.TrainedRun;
import org.isles.model.training.TrainingConfig;
import org.isles.pipelines.WriteFailures;
import org.isles.pipelines.train.TrainingConfigFile;
import org.isles.preprocess.CaseMemoryBudget;
import org.isles.report.HtmlReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The whole chain as one command. Each stage is the command a user would run by hand, called
 * through {@link Stages} with typed settings; a stage whose outputs exist is skipped, so a stopped
 * run continues where it was. Exit status 1 when some case of any stage failed.
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
  private static final String FULL_SWEEP = "0.02,0.04,...,0.98";
  private static final double TRAINING_THRESHOLD = 0.5;
  static final String VALIDATION_PREDICTIONS = "predictions_validation";
  static final String VALIDATION_EVAL = "eval_validation";
  static final String VALIDATION_CASES = "validation_cases.txt";

  @Mixin TrainingMixin training;

  @Option(names = "--input", required = true, description = "ISLES 2022 root.")
  Path input;

  @Option(names = "--out", required = true, description = "Output directory of the run.")
  Path out;

  @Mixin InferenceMixin inference = new InferenceMixin(TestTimeAugmentation.FLIP);

  @Mixin ThresholdMixin thresholds = new ThresholdMixin(FULL_SWEEP);

  @Option(names = PreprocessCommand.CASE_MEMORY_BUDGET, defaultValue = CaseMemoryBudget.AUTO, paramLabel = "SIZE",
      description = "Heap one case may need in preprocessing (default: ${DEFAULT-VALUE}); see isles preprocess --help.")
  String caseMemoryBudget;

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
    OptionChecks.of(spec).outputDirectory("--out", out).training(training).inference(inference).thresholds(thresholds)
        .accepted(PreprocessCommand.CASE_MEMORY_BUDGET, caseMemoryBudget, text -> CaseMemoryBudget.parse(text, 1)).runner(runner);
    long start = System.nanoTime();
    TrainingConfig trainingConfig = TrainingConfigFile.read(training.config);
    Path processed = out.resolve("processed");
    Path splits = out.resolve("splits.json");
    Path run = out.resolve("runs").resolve(trainingConfig.name());
    Path predictions = out.resolve(HtmlReport.PREDICTIONS);
    Path eval = out.resolve("eval");
    requireSameInput();
    AtomicFiles.removeLeftovers(out);
    recordRun();
    Stages stages = new Stages(runner.settings(), overwrite);

    stages.preprocess(input, processed, trainingConfig.spacingMm(), caseMemoryBudget);
    stages.split(processed, splits);
    stages.train(training, processed, splits, run);
    Path validationPredictions = out.resolve(VALIDATION_PREDICTIONS);
    Path validationEval = out.resolve(VALIDATION_EVAL);
    stages.predictValidation(run, input, validationPredictions, inference.augmentation());
    stages.selectOnValidation(validationPredictions, input, validationEval, validationCases(run), thresholds.thresholds);
    stages.predictTest(run, input, predictions, inference.augmentation());
    stages.evaluateTest(predictions, input, eval, splits, thresholds.thresholds, validationEval.resolve(SelectedSettings.FILE), history,
        out.toAbsolutePath().normalize().getFileName().toString());
    stages.analyze(eval);
    if (compareTo != null) {
      stages.compare(compareTo, eval, out.resolve(HtmlReport.COMPARISON));
    }
    stages.report(out);

    printSummary(eval.resolve(EvaluationFiles.SUMMARY), Duration.ofNanos(System.nanoTime() - start), stages.timings());
    return StageStatus.of(someCaseFailed(processed, run, validationPredictions, validationEval, predictions, eval)).exitCode();
  }

  /** Every pipeline stage leaves its failures.json, skipped stages too (from the run that finished them). */
  private static boolean someCaseFailed(Path... stageFolders) {
    for (Path folder : stageFolders) {
      Path failures = folder.resolve(WriteFailures.FILE);
      if (Files.isRegularFile(failures) && !Json.read(failures, List.class).isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** OUT of another input's run is refused unless --overwrite. */
  private void requireSameInput() {
    Path record = out.resolve(HtmlReport.RUN);
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
    Path file = out.resolve(VALIDATION_CASES);
    AtomicFiles.writeBytes(file, (String.join("\n", ids) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return file;
  }

  private void recordRun() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("input", input.toAbsolutePath().toString());
    json.put("config", training.config.toAbsolutePath().toString());
    json.put("folds", training.folds);
    json.put("seeds", training.seeds);
    json.put("tta", inference.tta);
    json.put("thresholds", thresholds.thresholds);
    json.put("runner", runner.settings().runner());
    json.put("compare_to", compareTo == null ? null : compareTo.toAbsolutePath().toString());
    Json.write(out.resolve(HtmlReport.RUN), json);
  }

  private void printSummary(Path summaryFile, Duration elapsed, List<String> timings) {
    JsonNode summary = Json.read(summaryFile, JsonNode.class);
    System.out.println();
    JsonNode selected = summary.path("selected_on_validation");
    if (selected.isObject()) {
      System.out.printf("Test set, %d cases, at the settings chosen on %d out-of-fold validation cases: threshold %s, %s%n",
          selected.path("n_cases").asInt(), selected.path("n_cases_chosen_on").asInt(), selected.path("threshold").asText(),
          EvaluationRules.postProcessingFromJson(selected.path("post_processing")).description());
      System.out.printf("  mean Dice                %.4f (validation %.4f)%n", selected.path("mean_dice").asDouble(),
          selected.path("validation_mean_dice").asDouble());
      printMetrics(selected.path("extra_metrics"));
    }
    System.out.printf("Test set, %d cases, best_all: threshold %s, the best by mean Dice on the test cases themselves:%n",
        summary.path("per_threshold").path(0).path("n_cases").asInt(), summary.path("best_threshold_by_mean_dice").asText());
    System.out.printf("  mean Dice                %.4f (%.4f at %s, the threshold of validation in training)%n",
        summary.path("mean_dice").asDouble(), meanDiceAt(summary, TRAINING_THRESHOLD), TRAINING_THRESHOLD);
    printMetrics(summary.path("extra_metrics_best"));
    System.out.println("Stages:");
    timings.forEach(line -> System.out.println("  " + line));
    System.out.printf("Total %d min %02d s. Summary: %s%nReport:  %s%n",
        elapsed.toMinutes(), elapsed.toSecondsPart(), summaryFile.toAbsolutePath(), out.resolve("report.html").toAbsolutePath());
  }

  private static void printMetrics(JsonNode metrics) {
    JsonNode lesions = metrics.path("lesionwise");
    System.out.printf("  lesion-wise F1 (micro)   %.4f (precision %.4f, recall %.4f)%n", lesions.path("f1_micro").asDouble(),
        lesions.path("precision_micro").asDouble(), lesions.path("recall_micro").asDouble());
    System.out.printf("  false components / case  %.2f%n", metrics.path("mean_fp_cc").asDouble());
    System.out.printf("  volume diff (mL)         mean %.2f, mean abs %.2f%n",
        metrics.path("volume_diff_ml").path("mean").asDouble(), metrics.path("volume_diff_ml").path("mean_abs").asDouble());
    System.out.printf("  lesion-count diff        mean %.2f, mean abs %.2f%n",
        metrics.path("lesion_count_diff").path("mean").asDouble(), metrics.path("lesion_count_diff").path("mean_abs").asDouble());
    System.out.printf("  HD95 (mm)                %.2f%n", metrics.path("boundary_distance_mm").path("hd95").asDouble());
  }

  private static double meanDiceAt(JsonNode summary, double threshold) {
    for (JsonNode row : summary.path("per_threshold")) {
      if (Math.abs(row.path("threshold").asDouble() - threshold) < 1e-9) {
        return row.path("mean_dice").asDouble();
      }
    }
    return Double.NaN;
  }
}

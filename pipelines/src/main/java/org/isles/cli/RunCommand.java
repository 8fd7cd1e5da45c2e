package org.isles.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.isles.evaluation.Summary;
import org.isles.io.AtomicFiles;
import org.isles.io.Json;
import org.isles.model.inference.CpuFeatures;
import org.isles.model.inference.Precision;
import org.isles.model.inference.PrecisionChoice;
import org.isles.model.inference.TestTimeAugmentation;
import org.isles.model.run.TrainedRun;
import org.isles.model.training.TrainingConfig;
import org.isles.pipelines.RunCommandRecord;
import org.isles.pipelines.RunLayout;
import org.isles.pipelines.train.TrainingConfigFile;
import org.isles.preprocess.CaseMemoryBudget;
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
    OptionChecks.of(spec).outputDirectory("--out", out).training(training).inference(inference).thresholds(thresholds)
        .accepted(PreprocessCommand.CASE_MEMORY_BUDGET, caseMemoryBudget, text -> CaseMemoryBudget.parse(text, 1))
        .accepted("--precision", precision, Precision::parse).runner(runner);
    long start = System.nanoTime();
    TrainingConfig trainingConfig = TrainingConfigFile.read(training.config);
    Precision predictPrecision = precision != null ? Precision.parse(precision) : trainingConfig.precision();
    // the run trains its own networks, so only a value no engine here serves (int8) can fail: fail before training
    PrecisionChoice.resolve(predictPrecision, CpuFeatures.ofThisMachine(), Map.of());
    RunLayout layout = layout();
    Path processed = layout.processed();
    Path splits = layout.splits();
    Path run = layout.run(trainingConfig.name());
    Path predictions = layout.predictions();
    Path eval = layout.eval();
    requireSameInput();
    AtomicFiles.removeLeftovers(out);
    recordRun(predictPrecision);
    Stages stages = new Stages(runner.settings(), overwrite);

    stages.preprocess(input, processed, trainingConfig.spacingMm(), caseMemoryBudget);
    stages.split(processed, splits);
    stages.train(training, processed, splits, run);
    Path validationPredictions = layout.validationPredictions();
    Path validationEval = layout.validationEval();
    stages.predictValidation(run, input, validationPredictions, inference.augmentation(), predictPrecision);
    stages.selectOnValidation(validationPredictions, input, validationEval, validationCases(run), thresholds.thresholds);
    stages.predictTest(run, input, predictions, inference.augmentation(), predictPrecision);
    stages.evaluateTest(predictions, input, eval, splits, thresholds.thresholds, RunLayout.selection(validationEval), history,
        out.toAbsolutePath().normalize().getFileName().toString());
    stages.analyze(eval);
    if (compareTo != null) {
      stages.compare(compareTo, eval, layout.comparison());
    }
    stages.report(out);

    printSummary(RunLayout.evalSummary(eval), Duration.ofNanos(System.nanoTime() - start), stages.timings());
    return StageStatus.of(someCaseFailed(processed, run, validationPredictions, validationEval, predictions, eval)).exitCode();
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

  private RunLayout layout() {
    return new RunLayout(out);
  }

  /** OUT of another input's run is refused unless --overwrite. */
  private void requireSameInput() {
    Path record = layout().command();
    String here = input.toAbsolutePath().normalize().toString();
    if (!overwrite && Files.isRegularFile(record)) {
      String recorded = RunCommandRecord.read(record).input();
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
    new RunCommandRecord(input.toAbsolutePath().toString(), training.config.toAbsolutePath().toString(), training.folds,
        training.seeds, inference.tta, predictPrecision.id(), thresholds.thresholds, runner.settings().runner(),
        compareTo == null ? null : compareTo.toAbsolutePath().toString()).write(layout().command());
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

package org.isles.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.isles.dataset.CaseDiscovery;
import org.isles.io.Json;
import org.isles.model.inference.ImportanceWeighting;
import org.isles.model.inference.InferenceOptions;
import org.isles.model.inference.Precision;
import org.isles.model.inference.TestTimeAugmentation;
import org.isles.model.run.TrainedRun;
import org.isles.pipelines.OutputFolder;
import org.isles.pipelines.RunLayout;
import org.isles.pipelines.RunnerSettings;
import org.isles.pipelines.predict.CaseSelection;
import org.isles.pipelines.predict.PredictPipeline;
import org.isles.pipelines.predict.PredictionSettings;
import org.isles.schemas.CaseRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description = {
      "Predict raw ISLES 2022 cases with a trained run's ensemble, on each case's original DWI grid.",
      "Writes OUT/<case_id>.nii.gz (float32 probabilities), OUT/masks/<case_id>.nii.gz (uint8) and OUT/prediction.json;"
          + " failed cases go to OUT/failures.json; cases already predicted in OUT are skipped."
    })
final class PredictCommand implements Callable<Integer> {
  @Option(names = "--run", required = true, description = "Trained run directory (runs/NAME).")
  Path run;

  @Option(names = "--input", required = true, description = "ISLES 2022 root (rawdata/; masks are not needed).")
  Path input;

  @Option(names = "--out", required = true, description = "Output directory.")
  Path out;

  @Option(names = "--cases", defaultValue = CaseSelection.TEST,
      description = {"test (the run's held-out cases, default), all, validation (out of fold: each trained fold's",
          "validation cases predicted by that fold's models), or a file: one case id per line, or a splits JSON."})
  String cases;

  @Option(names = "--models", split = ",",
      description = "Models to average, e.g. fold_0/seed_0,fold_1/seed_0 (default: every model of the run).")
  List<String> models;

  @Option(names = "--tta", defaultValue = "none", description = "Test-time mirroring: none (default), flip (left-right: the voxel axis closest to world x) or full (8 flips).")
  String tta;

  @Option(names = "--overlap", defaultValue = "0.5", description = "Sliding-window overlap in [0, 1) (default ${DEFAULT-VALUE}).")
  double overlap;

  @Option(names = "--gaussian", description = "Gaussian importance weighting of windows (sigma = patch / 8) instead of constant.")
  boolean gaussian;

  @Option(names = "--temperature", defaultValue = "1", description = "Divide logits by this before the sigmoid (default ${DEFAULT-VALUE}).")
  float temperature;

  @Option(names = "--window-batch", defaultValue = "" + InferenceOptions.DEFAULT_WINDOW_BATCH,
      description = "Windows per forward pass (default ${DEFAULT-VALUE}).")
  int windowBatch;

  @Option(names = "--threshold", defaultValue = "" + PredictionSettings.DEFAULT_THRESHOLD,
      description = "Mask = probability >= this (default ${DEFAULT-VALUE}).")
  double threshold;

  @Option(names = "--threads", defaultValue = "0",
      description = "Torch threads per JVM; 0 (default) = cores / parallel workers, at least 1.")
  int threads;

  @Option(names = "--precision", defaultValue = "auto", paramLabel = "fp32|bf16|int8|auto",
      description = {"What the networks compute in (default ${DEFAULT-VALUE}): auto is bf16 where the CPU has amx_bf16",
          "(AMX) and every model was trained here, fp32 elsewhere; bf16 needs models trained here (not ONNX or",
          "imported TorchScript); int8 is not built. The choice and its reason go into OUT/prediction.json."})
  String precision;

  @Option(names = "--overwrite", description = "Predict every case again, replacing what OUT holds (another input's cases are refused without this flag).")
  boolean overwrite;

  @Mixin RunnerOptions runner;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    OptionChecks.of(spec).outputDirectory("--out", out).accepted("--tta", tta, PredictCommand::augmentation)
        .atLeast("--threads", threads, 0).accepted("--precision", precision, Precision::parse).runner(runner);
    RunnerSettings runnerSettings = runner.settings();
    TrainedRun trainedRun = TrainedRun.open(run);
    InferenceOptions inference = new InferenceOptions(overlap,
        gaussian ? ImportanceWeighting.GAUSSIAN : ImportanceWeighting.CONSTANT, augmentation(tta), temperature, windowBatch);
    int torchThreads = threads > 0
        ? threads
        : Math.max(1, Runtime.getRuntime().availableProcessors() / runnerSettings.effectiveParallelism());
    PredictionSettings settings =
        PredictionSettings.of(trainedRun, models, inference, threshold, torchThreads, Precision.parse(precision));
    System.out.println(settings.precision().describe());
    PredictPipeline.Outcome outcome;
    if (cases.equals(CaseSelection.VALIDATION)) {
      if (models != null) {
        throw new IllegalArgumentException("--models does not go with --cases validation: each fold's cases are predicted by that fold's models");
      }
      Map<Integer, List<CaseRecord>> byFold = CaseSelection.validationByFold(CaseDiscovery.discover(input), trainedRun, input);
      int count = byFold.values().stream().mapToInt(List::size).sum();
      if (count == 0) {
        throw new IllegalArgumentException("no validation cases to predict: folds " + byFold.keySet() + " of " + trainedRun.dir());
      }
      System.out.printf("predicting %d validation cases out of fold (folds %s, each with its own models) of %s, patch %s, tta %s%n",
          count, byFold.keySet(), trainedRun.dir(), Json.toString(settings.patchSizes(trainedRun)).replaceAll("\\s+", ""), tta);
      outcome = PredictPipeline.runOutOfFold(byFold, settings, new OutputFolder(out, input, overwrite), runnerSettings);
    } else {
      List<CaseRecord> selected = CaseSelection.select(cases, CaseDiscovery.discover(input), trainedRun, input);
      if (selected.isEmpty()) {
        throw new IllegalArgumentException("no cases to predict under " + input + " (--cases " + cases + ")");
      }
      System.out.printf("predicting %d cases with %d models of %s, patch %s, tta %s%n", selected.size(),
          settings.modelIds().size(), trainedRun.dir(), Json.toString(settings.patchSizes(trainedRun)).replaceAll("\\s+", ""), tta);
      outcome = PredictPipeline.run(selected, settings, new OutputFolder(out, input, overwrite), runnerSettings);
    }
    int failed = outcome.failures().size();
    System.out.printf("predicted %d, skipped %d already predicted, %d failed, of %d cases into %s%n",
        outcome.predicted(), outcome.skipped(), failed, outcome.cases(), out);
    if (failed > 0) {
      System.err.printf("%d cases failed; see %s%n", failed, RunLayout.failures(out));
      return 1;
    }
    return 0;
  }

  /** The --tta choice by name, the one place that knows the names (isles run checks its --tta here too). */
  static TestTimeAugmentation augmentation(String name) {
    try {
      return TestTimeAugmentation.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--tta must be none, flip or full, got '" + name + "'");
    }
  }
}

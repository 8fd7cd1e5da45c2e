package org.isles.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.isles.dataset.CaseDiscovery;
import org.isles.io.Json;
import org.isles.model.inference.ImportanceWeighting;
import org.isles.model.inference.InferenceOptions;
import org.isles.model.inference.Precision;
import org.isles.model.inference.SlidingWindowInference;
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

  @Mixin InferenceMixin inference = new InferenceMixin(TestTimeAugmentation.NONE);

  @Option(names = "--overlap", defaultValue = "" + SlidingWindowInference.DEFAULT_OVERLAP, description = "Sliding-window overlap in [0, 1) (default ${DEFAULT-VALUE}).")
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
          "or avx512_bf16 and every model was trained here, fp32 elsewhere; bf16 needs models trained here (not ONNX or",
          "imported TorchScript); int8 is not built. The choice and its reason go into OUT/prediction.json."})
  String precision;

  @Option(names = "--overwrite", description = "Predict every case again, replacing what OUT holds (another input's cases are refused without this flag).")
  boolean overwrite;

  @Mixin RunnerOptions runner;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    OptionChecks.of(spec).outputDirectory("--out", out).inference(inference).atLeast("--threads", threads, 0)
        .accepted("--precision", precision, Precision::parse).runner(runner);
    InferenceOptions options = new InferenceOptions(overlap,
        gaussian ? ImportanceWeighting.GAUSSIAN : ImportanceWeighting.CONSTANT, inference.augmentation(), temperature, windowBatch);
    return run(new Request(run, input, out, cases, models, options, threshold, threads, Precision.parse(precision), overwrite,
        runner.settings())).exitCode();
  }

  /**
   * What a prediction run needs.
   *
   * @param cases test, all, validation or a file of case ids (see --cases)
   * @param models the models to average, null for every model of the run
   * @param threads torch threads per JVM, 0 for cores / parallel workers
   * @param precision what the networks compute in, as asked (auto is resolved against this CPU and the models)
   */
  record Request(Path run, Path input, Path out, String cases, List<String> models, InferenceOptions inference, double threshold,
      int threads, Precision precision, boolean overwrite, RunnerSettings runner) {
    /** isles predict without options but these. */
    static Request defaults(Path run, Path input, Path out, String cases, TestTimeAugmentation tta, Precision precision,
        boolean overwrite, RunnerSettings runner) {
      return new Request(run, input, out, cases, null, InferenceOptions.defaults().withAugmentation(tta),
          PredictionSettings.DEFAULT_THRESHOLD, 0, precision, overwrite, runner);
    }
  }

  /** Predicts the request's cases into {@code out}, printing what it predicts and how it went. */
  static StageStatus run(Request request) {
    RunnerSettings runnerSettings = request.runner();
    Path input = request.input();
    Path out = request.out();
    String tta = InferenceMixin.name(request.inference().augmentation());
    TrainedRun trainedRun = TrainedRun.open(request.run());
    int torchThreads = request.threads() > 0 ? request.threads() : runnerSettings.coresPerWorker();
    PredictionSettings settings =
        PredictionSettings.of(trainedRun, request.models(), request.inference(), request.threshold(), torchThreads, request.precision());
    System.out.println(settings.precision().describe());
    OutputFolder folder = new OutputFolder(out, input, request.overwrite());
    PredictPipeline.Outcome outcome;
    if (request.cases().equals(CaseSelection.VALIDATION)) {
      if (request.models() != null) {
        throw new IllegalArgumentException("--models does not go with --cases validation: each fold's cases are predicted by that fold's models");
      }
      Map<Integer, List<CaseRecord>> byFold = CaseSelection.validationByFold(CaseDiscovery.discover(input), trainedRun, input);
      int count = byFold.values().stream().mapToInt(List::size).sum();
      if (count == 0) {
        throw new IllegalArgumentException("no validation cases to predict: folds " + byFold.keySet() + " of " + trainedRun.dir());
      }
      System.out.printf("predicting %d validation cases out of fold (folds %s, each with its own models) of %s, patch %s, tta %s%n",
          count, byFold.keySet(), trainedRun.dir(), Json.toString(settings.patchSizes(trainedRun)).replaceAll("\\s+", ""), tta);
      outcome = PredictPipeline.runOutOfFold(byFold, settings, folder, runnerSettings);
    } else {
      List<CaseRecord> selected = CaseSelection.select(request.cases(), CaseDiscovery.discover(input), trainedRun, input);
      if (selected.isEmpty()) {
        throw new IllegalArgumentException("no cases to predict under " + input + " (--cases " + request.cases() + ")");
      }
      System.out.printf("predicting %d cases with %d models of %s, patch %s, tta %s%n", selected.size(),
          settings.modelIds().size(), trainedRun.dir(), Json.toString(settings.patchSizes(trainedRun)).replaceAll("\\s+", ""), tta);
      outcome = PredictPipeline.run(selected, settings, folder, runnerSettings);
    }
    int failed = outcome.failures().size();
    System.out.printf("predicted %d, skipped %d already predicted, %d failed, of %d cases into %s%n",
        outcome.predicted(), outcome.skipped(), failed, outcome.cases(), out);
    if (failed > 0) {
      System.err.printf("%d cases failed; see %s%n", failed, RunLayout.failures(out));
    }
    return StageStatus.of(failed > 0);
  }
}

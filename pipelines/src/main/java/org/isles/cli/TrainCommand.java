package org.isles.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.isles.model.training.TrainingConfig;
import org.isles.pipelines.RunLayout;
import org.isles.pipelines.RunnerSettings;
import org.isles.pipelines.train.TrainJob;
import org.isles.pipelines.train.TrainPipeline;
import org.isles.pipelines.train.TrainedModel;
import org.isles.pipelines.train.TrainingConfigFile;
import org.isles.pipelines.train.TrainingSettings;
import org.isles.split.CrossValidationSplit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train one 3D U-Net per (fold, seed) in parallel. Writes OUT/fold_<k>/seed_<s>/",
      "(best/ and last/ checkpoints, training_log.csv and .json, training_curve.png,",
      "config.yaml, plan.json, outcome.json), OUT/recipe.json, OUT/splits.json, OUT/training_summary.json",
      "and OUT/failures.json."
    })
final class TrainCommand implements Callable<Integer> {
  @Mixin TrainingMixin training;

  @Option(names = "--processed", required = true, description = "Preprocessed data (output of isles preprocess).")
  Path processed;

  @Option(names = "--splits", required = true, description = "Split file (output of isles split).")
  Path splits;

  @Option(names = "--out", required = true, description = "Run directory, e.g. runs/NAME.")
  Path out;

  @Option(names = "--threads-per-model", description = "Torch threads per model (default: the config's threads; on one machine no more than its cores"
      + " divided by the models that train at once).")
  Integer threadsPerModel;

  @Option(names = "--resume", description = "Continue each job from its last checkpoint in OUT (weights, optimizer, schedule, epoch).")
  boolean resume;

  @Option(names = "--init-from", description = "Start from these network parameters (a parameters file or checkpoint directory); weights only.")
  Path initFrom;

  @Option(names = "--overwrite", description = "Retrain the jobs OUT holds from scratch (a run from other --processed data is refused without this flag).")
  boolean overwrite;

  @Mixin RunnerOptions runner;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    OptionChecks.of(spec).outputDirectory("--out", out).training(training).atLeast("--threads-per-model", threadsPerModel, 1).runner(runner);
    return run(new Request(training.config, processed, splits, out, training.folds, training.seeds, threadsPerModel, resume, initFrom,
        training.cachedCases, overwrite, runner.settings())).exitCode();
  }

  /**
   * What a training run needs.
   *
   * @param folds the folds to train, null for every fold of the split
   * @param threadsPerModel torch threads per model, null for the config's
   * @param initFrom parameters to start from, or null
   */
  record Request(Path config, Path processed, Path splits, Path out, List<Integer> folds, List<Integer> seeds, Integer threadsPerModel,
      boolean resume, Path initFrom, int cachedCases, boolean overwrite, RunnerSettings runner) {
    Request {
      if (resume && initFrom != null) {
        throw new IllegalArgumentException("--resume and --init-from exclude each other: a resumed run keeps its own weights");
      }
      if (initFrom != null && !Files.exists(initFrom)) {
        throw new IllegalArgumentException("--init-from " + initFrom + " does not exist");
      }
    }
  }

  /** Trains every (fold, seed) job of the request, printing each model's outcome. */
  static StageStatus run(Request request) {
    TrainingConfig trainingConfig = TrainingConfigFile.read(request.config());
    CrossValidationSplit split = CrossValidationSplit.read(request.splits());
    List<Integer> chosenFolds = request.folds() != null ? request.folds() : IntStream.range(0, split.folds().size()).boxed().toList();
    List<TrainJob> jobs = new ArrayList<>();
    for (int fold : chosenFolds) {
      split.fold(fold); // fails here, naming the valid range, rather than in every job
      for (int seed : request.seeds()) {
        jobs.add(new TrainJob(fold, seed));
      }
    }
    if (request.threadsPerModel() != null) {
      trainingConfig = trainingConfig.withThreads(request.threadsPerModel());
    } else {
      int threads = request.runner().torchThreadsPerModel(trainingConfig.threads(), jobs.size());
      if (threads < trainingConfig.threads()) {
        System.out.printf("%d models train at once on %d cores: %d torch thread(s) each instead of the config's %d"
            + " (--threads-per-model sets it)%n", request.runner().workersFor(jobs.size()),
            Runtime.getRuntime().availableProcessors(), threads, trainingConfig.threads());
        trainingConfig = trainingConfig.withThreads(threads);
      }
    }
    Path out = request.out();
    TrainingSettings settings = new TrainingSettings(trainingConfig, abs(request.config()), abs(request.processed()),
        abs(request.splits()), abs(out), request.resume(), request.initFrom() == null ? null : abs(request.initFrom()),
        request.cachedCases());
    TrainPipeline.Outcome outcome = TrainPipeline.run(settings, jobs, request.overwrite(), request.runner());
    for (TrainedModel model : outcome.models()) {
      System.out.printf("fold %d seed %d: %d epochs, best validation Dice %s at epoch %d%s -> %s%n", model.fold(), model.seed(),
          model.epochsDone(), model.bestDice() == null ? "n/a" : String.format("%.4f", model.bestDice()), model.bestEpoch(),
          model.stoppedEarly() ? " (early stop)" : "", model.dir());
    }
    if (!outcome.failures().isEmpty()) {
      System.err.printf("%d of %d jobs failed; see %s%n", outcome.failures().size(), jobs.size(),
          RunLayout.failures(out));
    }
    return StageStatus.of(!outcome.failures().isEmpty());
  }

  private static String abs(Path path) {
    return path.toAbsolutePath().normalize().toString();
  }
}

package org.isles.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.isles.model.training.TrainingConfig;
import org.isles.pipelines.RunLayout;
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
  @Option(names = "--config", required = true, description = "Training config (configs/NAME.yaml).")
  Path config;

  @Option(names = "--processed", required = true, description = "Preprocessed data (output of isles preprocess).")
  Path processed;

  @Option(names = "--splits", required = true, description = "Split file (output of isles split).")
  Path splits;

  @Option(names = "--out", required = true, description = "Run directory, e.g. runs/NAME.")
  Path out;

  @Option(names = "--folds", split = ",", description = "Folds to train (default: every fold of the split).")
  List<Integer> folds;

  @Option(names = "--seeds", split = ",", defaultValue = "0", description = "Seeds per fold, added to the config's seed (default: ${DEFAULT-VALUE}).")
  List<Integer> seeds;

  @Option(names = "--threads-per-model", description = "Torch threads per model (default: the config's threads).")
  Integer threadsPerModel;

  @Option(names = "--resume", description = "Continue each job from its last checkpoint in OUT (weights, optimizer, schedule, epoch).")
  boolean resume;

  @Option(names = "--init-from", description = "Start from these network parameters (a parameters file or checkpoint directory); weights only.")
  Path initFrom;

  @Option(names = "--cached-cases", defaultValue = "0",
      description = {"Cases each job keeps in memory; the others are read when a sample needs them",
          "(default: ${DEFAULT-VALUE}, every case in memory; e.g. 40 for 1 mm data, about 70 MB a case)."})
  int cachedCases;

  @Option(names = "--overwrite", description = "Retrain the jobs OUT holds from scratch (a run from other --processed data is refused without this flag).")
  boolean overwrite;

  @Mixin RunnerOptions runner;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    OptionChecks.of(spec).outputDirectory("--out", out).atLeast("--threads-per-model", threadsPerModel, 1).runner(runner);
    if (resume && initFrom != null) {
      throw new IllegalArgumentException("--resume and --init-from exclude each other: a resumed run keeps its own weights");
    }
    if (initFrom != null && !Files.exists(initFrom)) {
      throw new IllegalArgumentException("--init-from " + initFrom + " does not exist");
    }
    TrainingConfig trainingConfig = TrainingConfigFile.read(config);
    if (threadsPerModel != null) {
      trainingConfig = trainingConfig.withThreads(threadsPerModel);
    }
    CrossValidationSplit split = CrossValidationSplit.read(splits);
    List<Integer> chosenFolds = folds != null ? folds : IntStream.range(0, split.folds().size()).boxed().toList();
    List<TrainJob> jobs = new ArrayList<>();
    for (int fold : chosenFolds) {
      split.fold(fold); // fails here, naming the valid range, rather than in every job
      for (int seed : seeds) {
        jobs.add(new TrainJob(fold, seed));
      }
    }
    TrainingSettings settings = new TrainingSettings(trainingConfig, abs(config), abs(processed), abs(splits), abs(out), resume,
        initFrom == null ? null : abs(initFrom), cachedCases);
    TrainPipeline.Outcome outcome = TrainPipeline.run(settings, jobs, overwrite, runner.settings());
    for (TrainedModel model : outcome.models()) {
      System.out.printf("fold %d seed %d: %d epochs, best validation Dice %s at epoch %d%s -> %s%n", model.fold(), model.seed(),
          model.epochsDone(), model.bestDice() == null ? "n/a" : String.format("%.4f", model.bestDice()), model.bestEpoch(),
          model.stoppedEarly() ? " (early stop)" : "", model.dir());
    }
    if (!outcome.failures().isEmpty()) {
      System.err.printf("%d of %d jobs failed; see %s%n", outcome.failures().size(), jobs.size(),
          RunLayout.failures(out));
      return 1;
    }
    return 0;
  }

  private static String abs(Path path) {
    return path.toAbsolutePath().normalize().toString();
  }
}

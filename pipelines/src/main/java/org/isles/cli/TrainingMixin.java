package org.isles.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** The training flags of isles train and isles run: the config, which folds and seeds, and the cases a job caches. */
final class TrainingMixin {
  @Option(names = "--config", required = true, description = "Training config (configs/NAME.yaml).")
  Path config;

  @Option(names = "--folds", split = ",", description = "Folds to train (default: every fold of the split).")
  List<Integer> folds;

  @Option(names = "--seeds", split = ",", defaultValue = "0", description = "Seeds per fold, added to the config's seed (default: ${DEFAULT-VALUE}).")
  List<Integer> seeds;

  @Option(names = "--cached-cases", defaultValue = "0",
      description = {"Cases each job keeps in memory; the others are read when a sample needs them",
          "(default: ${DEFAULT-VALUE}, every case in memory; e.g. 40 for 1 mm data, about 70 MB a case)."})
  int cachedCases;
}

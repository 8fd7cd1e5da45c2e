package org.isles.pipelines.train;

import java.io.Serializable;
import java.nio.file.Path;

/** One model to train: a cross-validation fold and a seed. Its files go to {@code RUN/fold_<k>/seed_<s>/}. */
public record TrainJob(int fold, int seed) implements Serializable {
  public Path dir(Path run) {
    return run.resolve("fold_" + fold).resolve("seed_" + seed);
  }

  @Override
  public String toString() {
    return "fold " + fold + " seed " + seed;
  }
}

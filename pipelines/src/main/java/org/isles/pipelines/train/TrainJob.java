package org.isles.pipelines.train;

import java.io.Serializable;
import java.nio.file.Path;
import org.isles.model.run.ModelFolder;

/** One model to train: a cross-validation fold and a seed. Its files go to {@code RUN/fold_<k>/seed_<s>/}. */
public record TrainJob(int fold, int seed) implements Serializable {
  /** "fold_k/seed_s": the job's directory under the run, and its name in failures.json. */
  public String id() {
    return ModelFolder.modelId(fold, seed);
  }

  public Path dir(Path run) {
    return ModelFolder.modelDir(run, fold, seed);
  }

  @Override
  public String toString() {
    return "fold " + fold + " seed " + seed;
  }
}

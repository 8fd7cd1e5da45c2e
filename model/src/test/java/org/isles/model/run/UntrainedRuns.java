package org.isles.model.run;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import java.io.DataOutputStream;
import java.nio.file.Path;
import org.isles.io.AtomicFiles;
import org.isles.model.OfflinePyTorch;
import org.isles.model.unet.UNet3d;

/**
 * Run directories of real, randomly initialised (seeded) U-Nets, written the way training writes
 * them: the recipe, and each model's parameters through {@code Block.saveParameters}. They exercise
 * and time the whole inference path (tests, benchmarks) without a trained run.
 */
public final class UntrainedRuns {
  private UntrainedRuns() {}

  /** A run with models fold_0..folds-1 x seed_0..seeds-1; model (f, s) is initialised with seed 100 f + s. */
  public static TrainedRun create(Path runDir, RunRecipe recipe, int folds, int seeds) {
    recipe.write(runDir);
    for (int fold = 0; fold < folds; fold++) {
      for (int seed = 0; seed < seeds; seed++) {
        Path file = ModelFolder.modelDir(runDir, fold, seed).resolve(ModelFolder.BEST).resolve(ModelFolder.PARAMETERS);
        try (Model model = OfflinePyTorch.newModel("untrained")) {
          UNet3d network = recipe.network();
          model.setBlock(network);
          OfflinePyTorch.engine().setRandomSeed(100 * fold + seed);
          network.initialize(model.getNDManager(), DataType.FLOAT32, network.inputShape(1, recipe.windowShape()));
          AtomicFiles.write(file, out -> network.saveParameters(new DataOutputStream(out)));
        }
      }
    }
    return TrainedRun.open(runDir);
  }
}

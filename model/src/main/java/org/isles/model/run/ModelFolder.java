package org.isles.model.run;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one owner of every name inside a run of models ({@code runs/NAME}); training, inference,
 * import and export ask it, and the run folder's layout ({@code org.isles.pipelines.RunLayout})
 * delegates to it:
 * <pre>
 * recipe.json                                   the {@link RunRecipe} (run.json before it was renamed; still read)
 * splits.json                                   the cross-validation split, with its "test" cases
 * fold_K/seed_S/best/parameters.params          a model's best checkpoint (and optimizer.ndlist, state.json)
 * fold_K/seed_S/last/...                        its last checkpoint, what --resume continues from
 * fold_K/seed_S/training_log.{csv,json}         the per-epoch log, and training_curve.png
 * imported/M/{model.pt or model.onnx, card.yaml} a model trained elsewhere (isles import)
 * </pre>
 */
public final class ModelFolder {
  public static final String RECIPE = "recipe.json";
  /**
   * The recipe's name in runs made before it was renamed: it shared run.json with the record that
   * {@code isles run} keeps of its command. Read when {@value #RECIPE} is missing, never written.
   */
  public static final String RECIPE_BEFORE_RENAME = "run.json";
  public static final String SPLITS = "splits.json";
  public static final String IMPORTED = "imported";
  public static final String FOLD_PREFIX = "fold_";
  public static final String SEED_PREFIX = "seed_";
  /** The checkpoint with the best validation Dice, what inference loads. */
  public static final String BEST = "best";
  /** The checkpoint after the latest epoch, what --resume continues from. */
  public static final String LAST = "last";
  public static final String PARAMETERS = "parameters.params";
  public static final String OPTIMIZER = "optimizer.ndlist";
  public static final String STATE = "state.json";
  public static final String TRAINING_LOG_CSV = "training_log.csv";
  public static final String TRAINING_LOG_JSON = "training_log.json";
  public static final String TRAINING_CURVE = "training_curve.png";

  private ModelFolder() {}

  /** The recipe to read: {@value #RECIPE}, or {@value #RECIPE_BEFORE_RENAME} in a run made before the rename. */
  public static Path recipe(Path runDir) {
    Path recipe = runDir.resolve(RECIPE);
    Path old = runDir.resolve(RECIPE_BEFORE_RENAME);
    return !Files.isRegularFile(recipe) && Files.isRegularFile(old) ? old : recipe;
  }

  /** Whether the run holds a recipe under either name. */
  public static boolean hasRecipe(Path runDir) {
    return Files.isRegularFile(recipe(runDir));
  }

  public static Path splits(Path runDir) {
    return runDir.resolve(SPLITS);
  }

  /** "fold_k/seed_s": a trained model's directory relative to the run, and its id. */
  public static String modelId(int fold, int seed) {
    return FOLD_PREFIX + fold + "/" + SEED_PREFIX + seed;
  }

  /** The directory a model's checkpoints and log go to. */
  public static Path modelDir(Path runDir, int fold, int seed) {
    return runDir.resolve(FOLD_PREFIX + fold).resolve(SEED_PREFIX + seed);
  }

  /** The directory {@code isles import} puts an imported model and its card in. */
  public static Path importedDir(Path runDir, String name) {
    return runDir.resolve(IMPORTED).resolve(name);
  }

  public static Path best(Path modelDir) {
    return modelDir.resolve(BEST);
  }

  public static Path last(Path modelDir) {
    return modelDir.resolve(LAST);
  }
}

package org.isles.model.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.isles.io.Json;
import org.isles.preprocess.PreprocessingSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainedRunTest {
  private static final RunRecipe RECIPE =
      new RunRecipe(8, 3, new int[] {32, 24, 16}, PreprocessingSettings.maxZoom(3).withFlair(true));

  @TempDir Path dir;

  @Test
  void recipeRoundTripsThroughRecipeJson() {
    RECIPE.write(dir);
    RunRecipe read = RunRecipe.read(dir);
    assertEquals(RECIPE, read);
    assertEquals(3, read.inputChannels());
    assertEquals(List.of(16, 24, 32), List.of(read.windowShape()[0], read.windowShape()[1], read.windowShape()[2]));
    RunRecipe fixed = new RunRecipe(4, 2, new int[] {8, 8, 8}, PreprocessingSettings.spacing(2, 2, 1.5));
    fixed.write(dir);
    assertEquals(fixed, RunRecipe.read(dir));
  }

  @Test
  void aRunMadeBeforeTheRecipeWasRenamedStillOpens() throws Exception {
    RECIPE.write(dir);
    Files.move(dir.resolve(ModelFolder.RECIPE), dir.resolve("run.json"));
    touch(dir.resolve("fold_0/seed_0/best/parameters.params"));
    TrainedRun run = TrainedRun.open(dir);
    assertEquals(RECIPE, run.recipe());
    assertEquals(List.of("fold_0/seed_0"), run.modelIds());
    RunRecipe newer = new RunRecipe(4, 2, new int[] {8, 8, 8}, PreprocessingSettings.spacing(2, 2, 1.5));
    newer.write(dir);
    assertEquals(newer, RunRecipe.read(dir), "the recipe under its new name wins over the old file");
  }

  @Test
  void modelsAreListedByFoldThenSeedNumerically() throws Exception {
    RECIPE.write(dir);
    for (String id : List.of("fold_10/seed_0", "fold_2/seed_1", "fold_2/seed_0")) {
      touch(dir.resolve(id).resolve(ModelFolder.BEST).resolve(ModelFolder.PARAMETERS));
    }
    touch(dir.resolve("fold_3/seed_0").resolve(ModelFolder.LAST).resolve(ModelFolder.PARAMETERS));
    Files.createDirectories(dir.resolve("fold_4/seed_0/best"));
    TrainedRun run = TrainedRun.open(dir);
    assertEquals(List.of("fold_2/seed_0", "fold_2/seed_1", "fold_3/seed_0", "fold_10/seed_0"), run.modelIds());
    assertEquals(dir.resolve("fold_3/seed_0/last/parameters.params"), run.parametersFile("fold_3/seed_0"));
    assertEquals(List.of("fold_10/seed_0", "fold_2/seed_0"), run.select(List.of("fold_10/seed_0", "fold_2/seed_0")));
    assertThrows(IllegalArgumentException.class, () -> run.select(List.of("fold_4/seed_0")));
    assertThrows(IllegalArgumentException.class, () -> run.select(List.of("fold_2/seed_0", "fold_2/seed_0")));
  }

  @Test
  void testCasesComeFromTheRunsSplits() throws Exception {
    RECIPE.write(dir);
    touch(dir.resolve("fold_0/seed_0/best/parameters.params"));
    TrainedRun run = TrainedRun.open(dir);
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, run::testCases);
    assertTrue(missing.getMessage().contains("splits.json"), missing.getMessage());
    Json.write(dir.resolve(ModelFolder.SPLITS), Map.of("seed", 1, "test", List.of("sub-b", "sub-a"), "folds", List.of()));
    assertEquals(List.of("sub-b", "sub-a"), run.testCases());
  }

  @Test
  void aDirectoryWithoutRecipeOrModelsIsNotARun() {
    IllegalArgumentException noRecipe = assertThrows(IllegalArgumentException.class, () -> TrainedRun.open(dir));
    assertTrue(noRecipe.getMessage().contains(ModelFolder.RECIPE), noRecipe.getMessage());
    RECIPE.write(dir);
    IllegalArgumentException noModels = assertThrows(IllegalArgumentException.class, () -> TrainedRun.open(dir));
    assertTrue(noModels.getMessage().contains("no trained model"), noModels.getMessage());
  }

  @Test
  void importedModelsFollowTrainedOnesAndAnEnsembleMustShareOnePreprocessing() throws Exception {
    RECIPE.write(dir);
    touch(dir.resolve("fold_0/seed_0").resolve(ModelFolder.BEST).resolve(ModelFolder.PARAMETERS));
    ModelCard same = new ModelCard(List.of("flair", "dwi", "adc"), RECIPE.preprocessing(), new int[] {16, 16, 16},
        ModelCard.Output.PROBABILITIES, 1, 0);
    ModelCard coarser = new ModelCard(List.of("dwi", "adc", "flair"),
        PreprocessingSettings.maxZoom(4).withFlair(true), new int[] {16, 16, 16}, ModelCard.Output.SIGMOID_LOGITS, 1, 0);
    for (var entry : Map.of("same", same, "coarser", coarser).entrySet()) {
      Path modelDir = ModelFolder.importedDir(dir, entry.getKey());
      touch(modelDir.resolve(RunModel.Format.TORCHSCRIPT.fileName()));
      entry.getValue().write(modelDir.resolve(ModelCard.FILE));
    }
    Files.createDirectories(dir.resolve(ModelFolder.IMPORTED).resolve(".half-written.partial"));

    TrainedRun run = TrainedRun.open(dir);
    assertEquals(List.of("fold_0/seed_0", "imported/coarser", "imported/same"), run.modelIds());
    assertEquals(RunModel.Format.TORCHSCRIPT, run.model("imported/same").format());
    assertEquals(same, run.model("imported/same").card());
    assertEquals(RECIPE.preprocessing(), run.preprocessing(List.of("fold_0/seed_0", "imported/same")));
    IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class,
        () -> run.preprocessing(List.of("fold_0/seed_0", "imported/coarser")));
    assertTrue(mixed.getMessage().contains("models fold_0/seed_0 and imported/coarser of run " + dir + " disagree on "
        + "preprocessing (max zoom 3.0 mm, channels [dwi, adc, flair], nonzero_zscore, crop margin 2 vs max zoom 4.0 mm"),
        mixed.getMessage());
    IllegalArgumentException noParameters =
        assertThrows(IllegalArgumentException.class, () -> run.parametersFile("imported/same"));
    assertTrue(noParameters.getMessage().contains("was imported"), noParameters.getMessage());
  }

  @Test
  void patchSizesMustSuitTheNetwork() {
    assertThrows(IllegalArgumentException.class,
        () -> new RunRecipe(8, 3, new int[] {32, 24, 12}, PreprocessingSettings.spacing(1, 1, 1)));
  }

  private static void touch(Path file) throws Exception {
    Files.createDirectories(file.getParent());
    Files.write(file, new byte[] {1});
  }
}

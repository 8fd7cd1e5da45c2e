package org.isles.pipelines.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.isles.augment.AugmentationConfig;
import org.isles.model.inference.Precision;
import org.isles.model.training.LossConfig;
import org.isles.model.training.TrainingConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped configs parse and say what SPEC section 4 says; broken files are rejected by name. */
class TrainingConfigFileTest {
  private static final Path CONFIGS = Path.of("..", "configs");

  @Test
  void recipeIsTheSpecRecipe() {
    TrainingConfig recipe = TrainingConfigFile.read(CONFIGS.resolve("recipe.yaml"));
    assertArrayEquals(new double[] {1, 1, 1}, recipe.spacingMm());
    assertArrayEquals(new int[] {128, 128, 128}, recipe.patchSize());
    assertEquals(32, recipe.baseChannels());
    assertEquals(4, recipe.depth());
    assertEquals(300, recipe.epochs());
    assertEquals(2e-4, recipe.learningRate());
    assertEquals(1e-5, recipe.weightDecay());
    assertEquals(20, recipe.patience());
    assertEquals(0.5, recipe.foregroundRatio());
    assertEquals(LossConfig.recipe(), recipe.loss());
    assertEquals(AugmentationConfig.defaults(), recipe.augmentation());
    TrainingConfig twoMm = TrainingConfigFile.read(CONFIGS.resolve("recipe-2mm.yaml"));
    assertArrayEquals(new double[] {2, 2, 2}, twoMm.spacingMm());
    assertArrayEquals(new int[] {96, 96, 96}, twoMm.patchSize());
  }

  @Test
  void cpuDemoIsSmallEnoughForTwoCores() {
    TrainingConfig demo = TrainingConfigFile.read(CONFIGS.resolve("cpu-demo.yaml"));
    assertArrayEquals(new double[] {2, 2, 2}, demo.spacingMm());
    assertEquals(16, demo.baseChannels());
    assertTrue(demo.plannedIterations() <= 1000, "several hundred iterations, got " + demo.plannedIterations());
    assertTrue(demo.patchSize()[0] <= 64);
  }

  @Test
  void anAugmentationMappingOverridesTheRecipeDefaults(@TempDir Path dir) throws IOException {
    Path config = dir.resolve("noisy.yaml");
    Files.writeString(config, Files.readString(CONFIGS.resolve("recipe.yaml"))
        .replaceFirst("augmentation: [a-z]+", "augmentation:\n  noise_probability: 0.4\n  max_noise_sigma: 0.25"));
    AugmentationConfig augmentation = TrainingConfigFile.read(config).augmentation();
    assertEquals(0.4, augmentation.noiseProbability());
    assertEquals(0.25, augmentation.maxNoiseSigma());
    assertEquals(AugmentationConfig.defaults().biasFieldProbability(), augmentation.biasFieldProbability());
  }

  @Test
  void aMisspelledAugmentationKeyIsReportedWithTheFileName(@TempDir Path dir) throws IOException {
    Path config = dir.resolve("typo.yaml");
    Files.writeString(config, Files.readString(CONFIGS.resolve("recipe.yaml"))
        .replaceFirst("augmentation: [a-z]+", "augmentation:\n  max_noise: 0.25"));
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> TrainingConfigFile.read(config));
    assertTrue(error.getMessage().contains("typo.yaml") && error.getMessage().contains("'max_noise'"), error.getMessage());
  }

  @Test
  void aMisspelledKeyIsReportedAsMissingWithTheFileName(@TempDir Path dir) throws IOException {
    Path config = dir.resolve("typo.yaml");
    Files.writeString(config, Files.readString(CONFIGS.resolve("cpu-demo.yaml")).replace("patience:", "patiense:"));
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> TrainingConfigFile.read(config));
    assertTrue(error.getMessage().contains("typo.yaml") && error.getMessage().contains("'patience'"), error.getMessage());
  }

  @Test
  void anInvalidValueIsReportedWithTheFileName(@TempDir Path dir) throws IOException {
    Path config = dir.resolve("odd-patch.yaml");
    Files.writeString(config, Files.readString(CONFIGS.resolve("cpu-demo.yaml")).replace("patch_size: [32, 32, 32]", "patch_size: [30, 32, 32]"));
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> TrainingConfigFile.read(config));
    assertTrue(error.getMessage().contains("odd-patch.yaml") && error.getMessage().contains("multiples of 2^depth = 8"),
        error.getMessage());
  }

  @Test
  void precisionIsAutoInTheShippedConfigsAndWhenLeftOut(@TempDir Path dir) throws IOException {
    for (String name : new String[] {"recipe.yaml", "recipe-2mm.yaml", "cpu-demo.yaml"}) {
      assertEquals(Precision.AUTO, TrainingConfigFile.read(CONFIGS.resolve(name)).precision(), name);
    }
    String demo = Files.readString(CONFIGS.resolve("cpu-demo.yaml"));
    assertTrue(demo.contains("\nprecision: auto\n"));
    Path older = Files.writeString(dir.resolve("older.yaml"), demo.replace("\nprecision: auto\n", "\n"));
    assertEquals(Precision.AUTO, TrainingConfigFile.read(older).precision(), "a config written before the key existed");
    Path bf16 = Files.writeString(dir.resolve("bf16.yaml"), demo.replace("precision: auto", "precision: bf16"));
    assertEquals(Precision.BF16, TrainingConfigFile.read(bf16).precision());
    Path odd = Files.writeString(dir.resolve("fp16.yaml"), demo.replace("precision: auto", "precision: fp16"));
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> TrainingConfigFile.read(odd));
    assertTrue(error.getMessage().contains("fp16.yaml") && error.getMessage().contains("precision must be fp32, bf16, int8 or auto"),
        error.getMessage());
    assertEquals(1, error.getMessage().lines().count(), error.getMessage());
  }

  @Test
  void emaDecayIsZeroWhenLeftOutAndCheckedWhenGiven(@TempDir Path dir) throws IOException {
    String recipe = Files.readString(CONFIGS.resolve("recipe.yaml"));
    assertTrue(!recipe.contains("ema_decay"), "the recipe keeps its training weights");
    assertEquals(0.0, TrainingConfigFile.read(CONFIGS.resolve("recipe.yaml")).emaDecay());
    Path averaged = Files.writeString(dir.resolve("averaged.yaml"), recipe + "ema_decay: 0.99\n");
    assertEquals(0.99, TrainingConfigFile.read(averaged).emaDecay());
    Path odd = Files.writeString(dir.resolve("one.yaml"), recipe + "ema_decay: 1\n");
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> TrainingConfigFile.read(odd));
    assertTrue(error.getMessage().contains("one.yaml") && error.getMessage().contains("ema_decay must be in [0, 1)"),
        error.getMessage());
  }
}

package org.isles.model.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.isles.preprocess.Normalization;
import org.isles.preprocess.PreprocessingSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCardTest {
  @TempDir Path dir;

  @Test
  void aMaxZoomCardWithFlairInItsOwnChannelOrderReadsBackAsWritten() throws Exception {
    Path file = Files.writeString(dir.resolve("card.yaml"), """
        channels: [ADC, dwi, flair]
        max_zoom_mm: 1.5
        normalization: none
        patch_size: [64, 48, 32]
        output: softmax_logits
        output_channels: 3
        lesion_channel: 2
        """);
    ModelCard card = ModelCard.read(file);
    assertEquals(List.of("adc", "dwi", "flair"), card.channels());
    assertEquals(PreprocessingSettings.maxZoom(1.5).withFlair(true).withNormalization(Normalization.NONE), card.preprocessing());
    assertArrayEquals(new int[] {1, 0, 2}, card.inputChannelIndices(), "positions among the prepared dwi, adc, flair");
    assertArrayEquals(new int[] {32, 48, 64}, card.windowShape());
    card.write(dir.resolve("again.yaml"));
    assertEquals(card, ModelCard.read(dir.resolve("again.yaml")));
  }

  @Test
  void aTrainedRecipesCardIsOneSigmoidLogitWithItsInputs() {
    RunRecipe recipe = new RunRecipe(8, 2, new int[] {16, 16, 16}, PreprocessingSettings.spacing(2, 2, 2));
    ModelCard card = recipe.card();
    assertEquals(List.of("dwi", "adc"), card.channels());
    assertEquals(ModelCard.Output.SIGMOID_LOGITS, card.output());
    assertEquals(recipe.preprocessing(), card.preprocessing());
  }

  @Test
  void badCardsAreOneLineErrorsNamingTheFile() throws Exception {
    String good = "channels: [dwi, adc]\nspacing_mm: [2, 2, 2]\nnormalization: nonzero_zscore\npatch_size: [32, 32, 32]\n"
        + "output: sigmoid_logits\n";
    assertError(good + "lesion_chanel: 1\n", "unknown keys [lesion_chanel]");
    assertError(good + "max_zoom_mm: 2\n", "give either spacing_mm or max_zoom_mm");
    assertError(good.replace("[dwi, adc]", "[dwi, t2]"), "channels must list dwi and optionally adc and flair");
    assertError(good.replace("nonzero_zscore", "minmax"), "normalization must be one of [nonzero_zscore, none], got 'minmax'");
    assertError(good + "lesion_channel: 1\n", "lesion_channel must be one of the 1 output channels, got 1");
    assertError(good.replace("patch_size: [32, 32, 32]\n", ""), "patch_size is missing");
    assertError("[1, 2]", "not a mapping");
  }

  private void assertError(String yaml, String expected) throws Exception {
    Path file = Files.writeString(dir.resolve("bad.yaml"), yaml);
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> ModelCard.read(file));
    assertTrue(error.getMessage().startsWith("bad model card " + file + ": ") && error.getMessage().contains(expected)
        && !error.getMessage().contains("\n"), error.getMessage());
  }
}

package org.isles.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class AugmentationConfigTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void booleansAreTheRecipeOrNothing() throws Exception {
    assertEquals(AugmentationConfig.defaults(), AugmentationConfig.fromConfig(JSON.readTree("true")));
    AugmentationConfig none = AugmentationConfig.fromConfig(JSON.readTree("false"));
    assertEquals(AugmentationConfig.none(), none);
    assertEquals(0, none.noiseProbability());
    assertEquals(0, none.biasFieldProbability());
    assertEquals(AugmentationConfig.defaults().maxNoiseSigma(), none.maxNoiseSigma());
  }

  @Test
  void aMappingOverridesOnlyTheKeysItNames() throws Exception {
    AugmentationConfig config = AugmentationConfig.fromConfig(
        JSON.readTree("{\"max_noise_sigma\": 0.3, \"bias_field_probability\": 0.4, \"max_low_resolution_factor\": 2.5}"));
    AugmentationConfig d = AugmentationConfig.defaults();
    assertEquals(new AugmentationConfig(
        d.flipProbability(), d.rotationProbability(), d.maxRotationDegrees(), d.scaleProbability(), d.minScale(), d.maxScale(),
        d.multiplyProbability(), d.minMultiplier(), d.maxMultiplier(), d.shiftProbability(), d.maxShift(),
        d.gammaProbability(), d.minGamma(), d.maxGamma(), d.noiseProbability(), 0.3, d.blurProbability(), d.minBlurSigma(),
        d.maxBlurSigma(), d.contrastProbability(), d.minContrast(), d.maxContrast(), 0.4, d.maxBiasAmplitude(),
        d.lowResolutionProbability(), 2.5), config);
  }

  @Test
  void unknownKeysAndBadValuesAreNamed() throws Exception {
    JsonNode typo = JSON.readTree("{\"max_noise_sigm\": 0.3}");
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> AugmentationConfig.fromConfig(typo));
    assertTrue(unknown.getMessage().contains("'max_noise_sigm'") && unknown.getMessage().contains("max_noise_sigma"),
        unknown.getMessage());
    JsonNode text = JSON.readTree("{\"noise_probability\": \"often\"}");
    IllegalArgumentException notNumber = assertThrows(IllegalArgumentException.class, () -> AugmentationConfig.fromConfig(text));
    assertTrue(notNumber.getMessage().contains("noise_probability"), notNumber.getMessage());
    JsonNode tooLikely = JSON.readTree("{\"bias_field_probability\": 1.5}");
    IllegalArgumentException range = assertThrows(IllegalArgumentException.class, () -> AugmentationConfig.fromConfig(tooLikely));
    assertTrue(range.getMessage().contains("bias field probability"), range.getMessage());
    assertThrows(IllegalArgumentException.class, () -> AugmentationConfig.fromConfig(JSON.readTree("[1]")));
  }
}

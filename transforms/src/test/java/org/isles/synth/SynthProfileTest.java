package org.isles.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.isles.dataset.Modality;
import org.isles.volume.Volume;
import org.junit.jupiter.api.Test;

/** The hard profile against the default one, case by case on the same seeds and geometry draws. */
class SynthProfileTest {
  private static final int CASES = 12;
  private static final double SIZE = 0.3;

  @Test
  void hardCasesHaveSubtlerLesionsAndMoreMimics() {
    SyntheticDataset easy = new SyntheticDataset(7, SIZE);
    SyntheticDataset hard = new SyntheticDataset(7, SIZE, SynthProfile.HARD);
    double easyContrast = 0;
    double hardContrast = 0;
    int easyMimics = 0;
    int hardMimics = 0;
    int withLesions = 0;
    for (int n = 1; n <= CASES; n++) {
      SyntheticCase a = easy.generate(n);
      SyntheticCase b = hard.generate(n);
      easyMimics += a.mimics().size();
      hardMimics += b.mimics().size();
      assertEquals(a.lesions().size(), b.lesions().size(), "the same lesions are planned");
      if (!a.lesions().isEmpty()) {
        withLesions++;
        easyContrast += lesionContrast(a);
        hardContrast += lesionContrast(b);
      }
    }
    assertTrue(withLesions >= CASES / 2, "enough cases with lesions: " + withLesions);
    assertTrue(hardContrast / withLesions < easyContrast / withLesions - 0.1,
        "mean DWI lesion / brain contrast, default " + easyContrast / withLesions + ", hard " + hardContrast / withLesions);
    assertTrue(hardMimics > easyMimics, "mimics: default " + easyMimics + ", hard " + hardMimics);
  }

  @Test
  void hardIsDeterministicAndNamedOnTheCommandLine() {
    SyntheticDataset hard = new SyntheticDataset(3, SIZE, SynthProfile.HARD);
    assertArrayEquals(hard.generate(2).image(Modality.DWI).data(), hard.generate(2).image(Modality.DWI).data());
    assertEquals(SynthProfile.HARD, SynthProfile.parse("hard"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SynthProfile.parse("harder")).getMessage()
        .contains("--profile must be default or hard"));
  }

  /** Mean DWI over labelled voxels divided by mean DWI over the other brain voxels, minus 1. */
  private static double lesionContrast(SyntheticCase c) {
    Volume dwi = c.image(Modality.DWI);
    Volume mask = c.image(Modality.MASK);
    double lesion = 0;
    double brain = 0;
    int lesionCount = 0;
    int brainCount = 0;
    for (int n = 0; n < dwi.data().length; n++) {
      if (mask.data()[n] > 0) {
        lesion += dwi.data()[n];
        lesionCount++;
      } else if (dwi.data()[n] > 0) {
        brain += dwi.data()[n];
        brainCount++;
      }
    }
    return (lesion / lesionCount) / (brain / brainCount) - 1;
  }
}

package org.isles.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ThresholdsTest {

  @Test
  void defaultSweepIsTwentyFiveExactHundredths() {
    double[] thresholds = Thresholds.defaults();
    assertEquals(25, thresholds.length);
    for (int n = 0; n < 25; n++) {
      // Exactly the double that the literal "0.06" parses to, not 0.06000000000000001.
      assertEquals(Double.parseDouble(String.format("%.2f", 0.02 * (n + 1))), thresholds[n], 0.0);
    }
  }

  @Test
  void parsesListsAndEllipsisSweeps() {
    assertArrayEquals(new double[] {0.1, 0.3, 0.5}, Thresholds.parse("0.1, 0.3,0.5"), 0.0);
    assertArrayEquals(Thresholds.defaults(), Thresholds.parse("0.02,0.04,...,0.5"), 0.0);
    assertArrayEquals(new double[] {0.1, 0.2, 0.3}, Thresholds.parse("0.1,0.2,...,0.3"), 0.0);
  }

  @Test
  void refusesThresholdsThatCannotMakeMasks() {
    assertThrows(IllegalArgumentException.class, () -> Thresholds.parse("0,0.5"));
    assertThrows(IllegalArgumentException.class, () -> Thresholds.parse("0.5,0.3"));
    assertThrows(IllegalArgumentException.class, () -> Thresholds.parse("0.1,...,0.5"));
    assertThrows(IllegalArgumentException.class, () -> Thresholds.parse("0.1,x"));
  }
}

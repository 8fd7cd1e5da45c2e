package org.isles.model.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.nn.LambdaBlock;
import ai.djl.translate.NoopTranslator;
import java.util.List;
import java.util.SplittableRandom;
import org.isles.model.OfflinePyTorch;
import org.isles.sampling.TrainingCase;
import org.isles.volume.Grid;
import org.isles.volume.Volume;
import org.junit.jupiter.api.Test;

/**
 * Validation Dice with a "network" that reads the lesion off the second channel: it scores the
 * hand-computed Dice only if the channels are in order, the overlapping windows are put back in
 * place and the mask is cut at 0.5; a lesion-free case scores 1 when nothing is predicted, else 0.
 */
class ValidationTest {
  private static final int NX = 20;
  private static final int NY = 24;
  private static final int NZ = 28;

  @Test
  void meanDiceMatchesHandComputedValues() {
    Grid grid = Grid.axisAligned(NX, NY, NZ, 2, 2, 2);
    float[] corner = new float[grid.nx() * grid.ny() * grid.nz()];
    for (int k = 2; k < 9; k++) {
      for (int j = 15; j < 22; j++) {
        for (int i = 3; i < 6; i++) {
          corner[grid.index(i, j, k)] = 1;
        }
      }
    }
    // The truth has the corner block plus one voxel the network cannot see: Dice = 2 * 147 / (148 + 147).
    float[] truth = corner.clone();
    truth[grid.index(NX - 1, 0, NZ - 1)] = 1;
    TrainingCase seen = trainingCase("seen", grid, corner, truth);
    TrainingCase healthy = trainingCase("healthy", grid, new float[corner.length], new float[corner.length]);
    // The network marks the corner block although this case has no lesion: Dice 0.
    TrainingCase falseAlarm = trainingCase("false-alarm", grid, corner, new float[corner.length]);

    LambdaBlock lesionFromSecondChannel = new LambdaBlock(
        inputs -> new NDList(inputs.singletonOrThrow().get(":, 1:2").neg().sub(0.5f).mul(20f)));
    try (Model model = Model.newInstance("second-channel", OfflinePyTorch.engine().getEngineName())) {
      model.setBlock(lesionFromSecondChannel);
      try (Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator())) {
        Validation validation = new Validation(new int[] {8, 16, 16}, 0.5);
        assertEquals(2.0 * 147 / (148 + 147), validation.dice(predictor, seen), 1e-9);
        assertEquals(1.0, validation.dice(predictor, healthy));
        assertEquals(0.0, validation.dice(predictor, falseAlarm));
        assertEquals((2.0 * 147 / (148 + 147) + 1 + 0) / 3, validation.meanDice(predictor, List.of(seen, healthy, falseAlarm)), 1e-9);
      }
    }
  }

  /** Channel 0 is noise, channel 1 is minus the visible lesion. */
  private static TrainingCase trainingCase(String id, Grid grid, float[] visible, float[] truth) {
    SplittableRandom random = new SplittableRandom(id.hashCode());
    float[] noise = new float[visible.length];
    float[] adc = new float[visible.length];
    for (int n = 0; n < visible.length; n++) {
      noise[n] = (float) random.nextGaussian() * 3;
      adc[n] = -visible[n];
    }
    return new TrainingCase(id, List.of(new Volume(grid, noise), new Volume(grid, adc)), new Volume(grid, truth));
  }
}

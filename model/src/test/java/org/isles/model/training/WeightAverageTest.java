package org.isles.model.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.List;
import org.isles.model.OfflinePyTorch;
import org.junit.jupiter.api.Test;

/** The moving average against values worked out by hand, and the swap in and out of the network. */
class WeightAverageTest {

  @Test
  void averagesWithTheWarmUpDecayAndSwapsInAndOut() {
    try (NDManager manager = OfflinePyTorch.newBaseManager()) {
      Parameter weight = parameter(manager, 1f, 2f);
      List<Pair<String, Parameter>> parameters = named(weight);
      WeightAverage average = new WeightAverage(0.5);
      average.update(parameters, 1); // the first update starts the average at the weights: (1, 2)
      set(weight, 3f, 6f);
      average.update(parameters, 2); // d = min(0.5, 3 / 12) = 0.25: 0.25 (1, 2) + 0.75 (3, 6) = (2.5, 5)
      set(weight, 5f, 10f);
      average.update(parameters, 3); // d = min(0.5, 4 / 13): (4/13) (2.5, 5) + (9/13) (5, 10)
      float[] expected = {(4f / 13) * 2.5f + (9f / 13) * 5f, (4f / 13) * 5f + (9f / 13) * 10f};
      set(weight, 7f, 14f);
      average.update(parameters, 40); // d = 0.5 once (1 + t) / (10 + t) passes it
      expected = new float[] {0.5f * expected[0] + 0.5f * 7f, 0.5f * expected[1] + 0.5f * 14f};

      float[] seen = average.withAveraged(parameters, training -> {
        assertEquals(1, training.size());
        assertEquals(WeightAverage.TRAINING_WEIGHT + "conv_weight", training.get(0).getName());
        assertArrayEquals(new float[] {7f, 14f}, training.get(0).toFloatArray(), "the training weights are handed over");
        return weight.getArray().toFloatArray();
      });
      assertArrayEquals(expected, seen, 1e-5f, "the network holds the averages inside");
      assertArrayEquals(new float[] {7f, 14f}, weight.getArray().toFloatArray(), "and its training weights after");
      average.close();
    }
  }

  @Test
  void restoreTakesTheLoadedParametersAsAveragesAndTheTrainingWeightsIntoTheNetwork() {
    try (NDManager manager = OfflinePyTorch.newBaseManager()) {
      Parameter weight = parameter(manager, 2.5f, 5f); // as loaded from a checkpoint: the averages
      List<Pair<String, Parameter>> parameters = named(weight);
      NDArray training = manager.create(new float[] {3f, 6f});
      training.setName(WeightAverage.TRAINING_WEIGHT + "conv_weight");
      WeightAverage average = new WeightAverage(0.5);
      average.restore(parameters, new NDList(training));
      assertArrayEquals(new float[] {3f, 6f}, weight.getArray().toFloatArray());
      float[] inside = average.withAveraged(parameters, w -> weight.getArray().toFloatArray());
      assertArrayEquals(new float[] {2.5f, 5f}, inside);

      NDArray stranger = manager.create(new float[] {1f, 1f});
      stranger.setName(WeightAverage.TRAINING_WEIGHT + "other");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> average.restore(parameters, new NDList(stranger)));
      assertTrue(e.getMessage().contains("other"), e.getMessage());
      average.close();
    }
  }

  @Test
  void offLeavesTheNetworkAlone() {
    try (NDManager manager = OfflinePyTorch.newBaseManager()) {
      Parameter weight = parameter(manager, 1f, 2f);
      List<Pair<String, Parameter>> parameters = named(weight);
      WeightAverage off = new WeightAverage(0);
      off.update(parameters, 1);
      set(weight, 3f, 6f);
      off.update(parameters, 2);
      int handed = off.withAveraged(parameters, NDList::size);
      assertEquals(0, handed);
      assertArrayEquals(new float[] {3f, 6f}, weight.getArray().toFloatArray());
      assertThrows(IllegalArgumentException.class, () -> new WeightAverage(1));
    }
  }

  private static List<Pair<String, Parameter>> named(Parameter parameter) {
    return List.of(new Pair<>(parameter.getName(), parameter));
  }

  private static Parameter parameter(NDManager manager, float... values) {
    Parameter parameter = Parameter.builder().setName("conv_weight").setType(Parameter.Type.WEIGHT).build();
    parameter.setArray(manager.create(values));
    return parameter;
  }

  private static void set(Parameter parameter, float... values) {
    NDArray array = parameter.getArray();
    array.set(array.getManager().create(values).toByteBuffer());
  }
}

package org.isles.model.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * An exponential moving average of the network's weights (Polyak averaging, as timm's ModelEma
 * keeps one): after update {@code t} every average becomes {@code d a + (1 - d) w} with {@code d =
 * min(decay, (1 + t) / (10 + t))}, the warm-up of TensorFlow's ExponentialMovingAverage, so the
 * first updates do not drag the random initialisation along. With a decay of 0 it is off and
 * costs nothing.
 *
 * <p>Validation and checkpoints see the averages: {@link #withAveraged} puts them into the
 * network and hands the training weights, named {@value #TRAINING_WEIGHT}NAME, to what it runs,
 * so a checkpoint's parameters are the weights inference loads and its optimizer state keeps the
 * weights training goes on from.
 */
public final class WeightAverage {
  /** Prefix of the training weights' names in a checkpoint's optimizer state. */
  public static final String TRAINING_WEIGHT = "w:";
  private static final int WARM_UP = 10;

  private final float decay;
  private final Map<String, NDArray> averages = new LinkedHashMap<>();

  public WeightAverage(double decay) {
    if (!(decay >= 0 && decay < 1)) {
      throw new IllegalArgumentException("weight average decay must be in [0, 1), got " + decay);
    }
    this.decay = (float) decay;
  }

  private boolean enabled() {
    return decay > 0;
  }

  /** Folds the weights after optimizer update {@code updatesDone} (1-based) into the averages. */
  public void update(Iterable<Pair<String, Parameter>> parameters, int updatesDone) {
    if (!enabled()) {
      return;
    }
    float d = Math.min(decay, (1f + updatesDone) / (WARM_UP + updatesDone));
    try (Autograd notRecorded = Autograd.paused()) {
      for (Pair<String, Parameter> named : parameters) {
        NDArray weight = named.getValue().getArray();
        NDArray average = averages.get(named.getKey());
        if (average == null) {
          averages.put(named.getKey(), copy(weight));
        } else {
          try (NDScope scope = new NDScope()) {
            average.muli(d).addi(weight.mul(1 - d));
          }
        }
      }
    }
  }

  /**
   * Runs {@code action} with the averaged weights in the network and the training weights as its
   * argument (empty when averaging is off or before the first update), then puts the training
   * weights back; returns what {@code action} returned.
   */
  public <T> T withAveraged(Iterable<Pair<String, Parameter>> parameters, Function<NDList, T> action) {
    if (averages.isEmpty()) {
      return action.apply(new NDList());
    }
    NDList training = new NDList();
    try (Autograd notRecorded = Autograd.paused()) {
      for (Pair<String, Parameter> named : parameters) {
        NDArray weight = named.getValue().getArray();
        NDArray saved = copy(weight);
        saved.setName(TRAINING_WEIGHT + named.getKey());
        training.add(saved);
        assign(weight, averages.get(named.getKey()));
      }
      T result = action.apply(training);
      int n = 0;
      for (Pair<String, Parameter> named : parameters) {
        assign(named.getValue().getArray(), training.get(n++));
      }
      return result;
    } finally {
      training.close();
    }
  }

  /**
   * After a checkpoint's parameters were loaded into the network: they become the averages (when
   * averaging is on) and {@code trainingWeights}, the {@value #TRAINING_WEIGHT}NAME arrays of its
   * optimizer state, go into the network. A checkpoint without them (one written with averaging
   * off) leaves the network as loaded and starts the averages from it.
   */
  public void restore(Iterable<Pair<String, Parameter>> parameters, NDList trainingWeights) {
    close();
    Map<String, NDArray> byName = new LinkedHashMap<>();
    for (NDArray array : trainingWeights) {
      byName.put(array.getName().substring(TRAINING_WEIGHT.length()), array);
    }
    try (Autograd notRecorded = Autograd.paused()) {
      for (Pair<String, Parameter> named : parameters) {
        NDArray weight = named.getValue().getArray();
        if (enabled()) {
          averages.put(named.getKey(), copy(weight));
        }
        NDArray saved = byName.remove(named.getKey());
        if (saved != null) {
          if (!saved.getShape().equals(weight.getShape())) {
            throw new IllegalArgumentException("training weight " + named.getKey() + " has shape " + saved.getShape()
                + " but the parameter has " + weight.getShape());
          }
          assign(weight, saved);
        }
      }
    }
    if (!byName.isEmpty()) {
      throw new IllegalArgumentException("optimizer state holds training weights of unknown parameters " + byName.keySet());
    }
  }

  /** Frees the averages. */
  public void close() {
    averages.values().forEach(NDArray::close);
    averages.clear();
  }

  private static NDArray copy(NDArray weight) {
    NDArray copy = weight.duplicate();
    NDScope.unregister(copy);
    return copy;
  }

  /** {@code target = source}, in place, so the parameter keeps its array. */
  private static void assign(NDArray target, NDArray source) {
    try (NDScope scope = new NDScope()) {
      target.muli(0).addi(source);
    }
  }
}

package org.isles.model.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter) exactly as {@code torch.optim.AdamW} computes it, with its state in
 * the open so a checkpoint can hold it: per parameter the first and second moments, and the
 * number of updates done, which is also the learning-rate schedule's position.
 *
 * <p>DJL has an AdamW, but its moments and update counts are private, so a resumed run could
 * only restart them from zero. Update {@code t} (1-based) uses the learning rate
 * {@code schedule.getNewValue(t - 1)}, so the first update uses the base rate, as torch's
 * schedulers do.
 */
public final class AdamW {
  public static final float BETA1 = 0.9f;
  public static final float BETA2 = 0.999f;
  public static final float EPSILON = 1e-8f;
  private static final String FIRST_MOMENT = "m:";
  private static final String SECOND_MOMENT = "v:";

  private final Tracker schedule;
  private final float weightDecay;
  private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
  private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
  private int updates;

  public AdamW(Tracker schedule, float weightDecay) {
    if (!(weightDecay >= 0)) {
      throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
    }
    this.schedule = schedule;
    this.weightDecay = weightDecay;
  }

  /** Updates done so far. */
  public int updates() {
    return updates;
  }

  /** The learning rate the next update will use. */
  public float learningRate() {
    return schedule.getNewValue(updates);
  }

  /**
   * Applies one update to every parameter that has a gradient, then zeroes the gradients (torch
   * accumulates them). Moments are created next to their parameter on first use.
   */
  public void update(Iterable<Pair<String, Parameter>> parameters) {
    // In-place changes of leaf tensors must not be recorded (torch's optimizers step under no_grad).
    try (Autograd notRecorded = Autograd.paused()) {
      applyUpdate(parameters);
    }
  }

  private void applyUpdate(Iterable<Pair<String, Parameter>> parameters) {
    float learningRate = learningRate();
    updates++;
    double biasCorrection1 = 1 - Math.pow(BETA1, updates);
    double biasCorrection2 = 1 - Math.pow(BETA2, updates);
    float stepSize = (float) (learningRate / biasCorrection1);
    float secondMomentScale = (float) (1 / Math.sqrt(biasCorrection2));
    for (Pair<String, Parameter> named : parameters) {
      NDArray weight = named.getValue().getArray();
      if (!weight.hasGradient()) {
        continue;
      }
      try (NDScope scope = new NDScope()) {
        NDArray gradient = weight.getGradient();
        NDArray m = moment(firstMoments, named.getKey(), weight);
        NDArray v = moment(secondMoments, named.getKey(), weight);
        weight.muli(1 - learningRate * weightDecay);
        m.muli(BETA1).addi(gradient.mul(1 - BETA1));
        v.muli(BETA2).addi(gradient.square().muli(1 - BETA2));
        NDArray denominator = v.sqrt().muli(secondMomentScale).addi(EPSILON);
        weight.subi(m.div(denominator).muli(stepSize));
        gradient.subi(gradient);
      }
    }
  }

  /** The moments as named arrays (m:NAME, v:NAME), for a checkpoint; the arrays are shared. */
  public NDList moments() {
    NDList list = new NDList();
    firstMoments.forEach((name, array) -> list.add(named(array, FIRST_MOMENT + name)));
    secondMoments.forEach((name, array) -> list.add(named(array, SECOND_MOMENT + name)));
    return list;
  }

  /**
   * Restores the state of a checkpoint: the moments from {@link #moments()} (copied into arrays
   * owned by {@code manager}) and the number of updates done.
   */
  public void restore(NDList moments, int updatesDone, NDManager manager) {
    if (updatesDone < 0) {
      throw new IllegalArgumentException("updates done must be >= 0, got " + updatesDone);
    }
    close();
    for (NDArray saved : moments) {
      String name = saved.getName();
      NDArray copy = saved.duplicate();
      copy.attach(manager);
      NDScope.unregister(copy);
      if (name != null && name.startsWith(FIRST_MOMENT)) {
        firstMoments.put(name.substring(FIRST_MOMENT.length()), copy);
      } else if (name != null && name.startsWith(SECOND_MOMENT)) {
        secondMoments.put(name.substring(SECOND_MOMENT.length()), copy);
      } else {
        throw new IllegalArgumentException("optimizer state holds an array named '" + name + "', expected m:NAME or v:NAME");
      }
    }
    updates = updatesDone;
  }

  /** Frees the moments. */
  public void close() {
    firstMoments.values().forEach(NDArray::close);
    secondMoments.values().forEach(NDArray::close);
    firstMoments.clear();
    secondMoments.clear();
  }

  private static NDArray moment(Map<String, NDArray> moments, String name, NDArray weight) {
    NDArray moment = moments.get(name);
    if (moment == null) {
      moment = weight.zerosLike();
      NDScope.unregister(moment);
      moments.put(name, moment);
    } else if (!moment.getShape().equals(weight.getShape())) {
      throw new IllegalStateException("optimizer moment of " + name + " has shape " + moment.getShape()
          + " but the parameter has " + weight.getShape());
    }
    return moment;
  }

  private static NDArray named(NDArray array, String name) {
    array.setName(name);
    return array;
  }
}

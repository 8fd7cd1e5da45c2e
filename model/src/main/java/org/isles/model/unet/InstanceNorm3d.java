package org.isles.model.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Instance normalisation with a learned per-channel scale and shift, like
 * {@code torch.nn.InstanceNorm3d(affine=True)}: every (sample, channel) volume is normalised with
 * its own mean and biased variance, in training and inference alike.
 *
 * <p>DJL has no instance-norm operator, so the (N, C, D, H, W) input is viewed as one sample with
 * N*C channels and handed to the engine's fused batch-norm kernel in training mode; that is the
 * same arithmetic and much faster than composing mean/variance from NDArray operations.
 */
public final class InstanceNorm3d extends AbstractBlock {
  public static final float DEFAULT_EPSILON = 1e-5f;

  private final float epsilon;
  private final Parameter gamma;
  private final Parameter beta;

  public InstanceNorm3d(float epsilon) {
    this.epsilon = epsilon;
    gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA).build());
    beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA).build());
  }

  public InstanceNorm3d() {
    this(DEFAULT_EPSILON);
  }

  public float epsilon() {
    return epsilon;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray input = inputs.singletonOrThrow();
    Shape shape = input.getShape();
    long samples = shape.get(0);
    long channels = shape.get(1);
    long instances = samples * channels;
    NDManager manager = input.getManager();
    NDArray scale = perInstance(input, parameterStore.getValue(gamma, input.getDevice(), training), samples);
    NDArray shift = perInstance(input, parameterStore.getValue(beta, input.getDevice(), training), samples);
    // The kernel insists on running statistics; these throw-away ones are never read back.
    NDArray runningMean = manager.zeros(new Shape(instances));
    NDArray runningVar = manager.ones(new Shape(instances));
    NDArray asOneSample = input.reshape(new Shape(1, instances).addAll(shape.slice(2)));
    NDArray normalised = asOneSample.getNDArrayInternal()
        .batchNorm(asOneSample, runningMean, runningVar, scale, shift, -1, 0.1f, epsilon, true)
        .singletonOrThrow();
    return new NDList(normalised.reshape(shape));
  }

  /** The per-channel parameter repeated for every sample (batch 1, the usual case, uses it as is). */
  private static NDArray perInstance(NDArray input, NDArray perChannel, long samples) {
    return samples == 1 ? perChannel : IterationScope.sameScopeAs(input, perChannel.tile(samples));
  }

  @Override
  protected void prepare(Shape[] inputShapes) {
    Shape channels = new Shape(inputShapes[0].get(1));
    gamma.setShape(channels);
    beta.setShape(channels);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return inputShapes;
  }
}

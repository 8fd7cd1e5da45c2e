package org.isles.model.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Learned 2x up-sampling, exactly {@code torch.nn.ConvTranspose3d(in, out, kernel_size=2,
 * stride=2)}. DJL's PyTorch engine has no transposed convolution, but with kernel = stride = 2 each
 * input voxel writes its own 2x2x2 output block, so a 1x1x1 convolution to 8*out channels followed
 * by a 3D pixel shuffle is the same map.
 *
 * <p>Weight layout: {@code weight[o*8 + a*4 + b*2 + c, i, 0, 0, 0]} is torch's
 * {@code weight[i, o, a, b, c]} (a, b, c: offsets along D, H, W); one bias per output channel.
 */
public final class PixelShuffleUp3d extends AbstractBlock {
  private static final int SUB_VOXELS = 8;

  private final int outChannels;
  private final Parameter weight;
  private final Parameter bias;

  public PixelShuffleUp3d(int outChannels) {
    this.outChannels = outChannels;
    weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT).build());
    bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS).build());
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray input = inputs.singletonOrThrow();
    NDArray kernel = parameterStore.getValue(weight, input.getDevice(), training);
    NDArray shift = parameterStore.getValue(bias, input.getDevice(), training);
    NDArray blocks = Conv3d.conv3d(input, kernel).singletonOrThrow();
    long n = input.getShape().get(0);
    long d = input.getShape().get(2);
    long h = input.getShape().get(3);
    long w = input.getShape().get(4);
    NDArray shuffled = blocks
        .reshape(n, outChannels, 2, 2, 2, d, h, w)
        .transpose(0, 1, 5, 2, 6, 3, 7, 4)
        .reshape(n, outChannels, 2 * d, 2 * h, 2 * w);
    return new NDList(shuffled.add(IterationScope.sameScopeAs(input, shift.reshape(outChannels, 1, 1, 1))));
  }

  @Override
  protected void prepare(Shape[] inputShapes) {
    weight.setShape(new Shape(SUB_VOXELS * outChannels, inputShapes[0].get(1), 1, 1, 1));
    bias.setShape(new Shape(outChannels));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    return new Shape[] {new Shape(in.get(0), outChannels, 2 * in.get(2), 2 * in.get(3), 2 * in.get(4))};
  }
}

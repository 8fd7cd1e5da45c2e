package org.isles.model.unet;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * 3x3x3 convolution (padding 1, no bias: instance norm removes any constant), instance norm, then
 * LeakyReLU.
 */
public final class ConvNormAct extends AbstractBlock {
  public static final float LEAKY_SLOPE = 0.01f;

  private final Conv3d conv;
  private final InstanceNorm3d norm;

  public ConvNormAct(int outChannels) {
    conv = addChildBlock("conv", Conv3d.builder()
        .setKernelShape(new Shape(3, 3, 3))
        .optPadding(new Shape(1, 1, 1))
        .optBias(false)
        .setFilters(outChannels)
        .build());
    norm = addChildBlock("norm", new InstanceNorm3d());
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
    NDList convolved = conv.forward(parameterStore, inputs, training, params);
    NDList normalised = norm.forward(parameterStore, convolved, training, params);
    return new NDList(Activation.leakyRelu(normalised.singletonOrThrow(), LEAKY_SLOPE));
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    conv.initialize(manager, dataType, inputShapes);
    norm.initialize(manager, dataType, conv.getOutputShapes(inputShapes));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return conv.getOutputShapes(inputShapes);
  }
}

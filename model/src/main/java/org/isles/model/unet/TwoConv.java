package org.isles.model.unet;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** One U-Net stage: two {@link ConvNormAct} at the same resolution. */
public final class TwoConv extends AbstractBlock {
  private final ConvNormAct first;
  private final ConvNormAct second;

  public TwoConv(int outChannels) {
    first = addChildBlock("first", new ConvNormAct(outChannels));
    second = addChildBlock("second", new ConvNormAct(outChannels));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
    return second.forward(parameterStore, first.forward(parameterStore, inputs, training, params), training, params);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    first.initialize(manager, dataType, inputShapes);
    second.initialize(manager, dataType, first.getOutputShapes(inputShapes));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return second.getOutputShapes(first.getOutputShapes(inputShapes));
  }
}

package org.isles.model.unet;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** Encoder step: 2x2x2 max-pool (stride 2) halves the resolution, then a {@link TwoConv} stage. */
public final class Down extends AbstractBlock {
  private final TwoConv convs;

  public Down(int outChannels) {
    convs = addChildBlock("convs", new TwoConv(outChannels));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
    NDList pooled = new NDList(Pool.maxPool3d(
        inputs.singletonOrThrow(), new Shape(2, 2, 2), new Shape(2, 2, 2), new Shape(0, 0, 0), false));
    return convs.forward(parameterStore, pooled, training, params);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    convs.initialize(manager, dataType, pooledShape(inputShapes[0]));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return convs.getOutputShapes(new Shape[] {pooledShape(inputShapes[0])});
  }

  private static Shape pooledShape(Shape input) {
    return new Shape(input.get(0), input.get(1), input.get(2) / 2, input.get(3) / 2, input.get(4) / 2);
  }
}

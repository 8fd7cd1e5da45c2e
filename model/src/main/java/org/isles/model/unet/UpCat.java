package org.isles.model.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Decoder step: learned 2x up-sampling of the coarser features, concatenation with the encoder's
 * skip features (skip first, along channels), then a {@link TwoConv} stage.
 *
 * <p>Inputs: {@code (coarse, skip)}; output channels = skip channels.
 */
public final class UpCat extends AbstractBlock {
  private final PixelShuffleUp3d up;
  private final TwoConv convs;

  public UpCat(int outChannels) {
    up = addChildBlock("up", new PixelShuffleUp3d(outChannels));
    convs = addChildBlock("convs", new TwoConv(outChannels));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray upsampled = up.forward(parameterStore, new NDList(inputs.get(0)), training, params).singletonOrThrow();
    NDArray joined = inputs.get(1).concat(upsampled, 1);
    return convs.forward(parameterStore, new NDList(joined), training, params);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    up.initialize(manager, dataType, inputShapes[0]);
    convs.initialize(manager, dataType, joinedShape(inputShapes));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return convs.getOutputShapes(new Shape[] {joinedShape(inputShapes)});
  }

  private Shape joinedShape(Shape[] inputShapes) {
    Shape upsampled = up.getOutputShapes(new Shape[] {inputShapes[0]})[0];
    Shape skip = inputShapes[1];
    return new Shape(skip.get(0), skip.get(1) + upsampled.get(1), skip.get(2), skip.get(3), skip.get(4));
  }
}

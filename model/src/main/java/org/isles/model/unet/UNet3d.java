package org.isles.model.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain 3D U-Net for binary segmentation: input (N, inputChannels, D, H, W), output one logit
 * channel (N, 1, D, H, W). Each resolution has a {@link TwoConv} stage; channels double per level
 * (base, 2 base, ... base * 2^depth); {@link Down} max-pools, {@link UpCat} up-samples with a
 * learned 2x2x2 transposed convolution and concatenates the skip features; a 1x1x1 convolution
 * with bias produces the logit. Spatial sizes must be multiples of {@link #sizeMultiple()}, and
 * not all equal to it (instance norm needs more than one voxel at the coarsest level).
 *
 * <p>Convolution weights start He-normal (fan-in, gain 2), as for LeakyReLU networks.
 */
public final class UNet3d extends AbstractBlock {
  private final int inputChannels;
  private final int baseChannels;
  private final int depth;
  private final TwoConv stem;
  private final List<Down> downs = new ArrayList<>();
  private final List<UpCat> ups = new ArrayList<>();
  private final Conv3d head;

  private UNet3d(Builder builder) {
    inputChannels = builder.inputChannels;
    baseChannels = builder.baseChannels;
    depth = builder.depth;
    stem = addChildBlock("stem", new TwoConv(baseChannels));
    for (int level = 1; level <= depth; level++) {
      downs.add(addChildBlock("down" + level, new Down(channelsAt(level))));
    }
    for (int level = depth - 1; level >= 0; level--) {
      ups.add(addChildBlock("up" + level, new UpCat(channelsAt(level))));
    }
    head = addChildBlock("head", Conv3d.builder().setKernelShape(new Shape(1, 1, 1)).setFilters(1).build());
    setInitializer(
        new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.IN, 2),
        Parameter.Type.WEIGHT);
  }

  public static Builder builder() {
    return new Builder();
  }

  public int inputChannels() {
    return inputChannels;
  }

  public int baseChannels() {
    return baseChannels;
  }

  public int depth() {
    return depth;
  }

  /** Feature channels at {@code level} (0 = full resolution). */
  public int channelsAt(int level) {
    return baseChannels << level;
  }

  /** Every spatial input size must be a multiple of this (2^depth). */
  public int sizeMultiple() {
    return 1 << depth;
  }

  /** The network's spatial axes {D, H, W} = (z, y, x) of a size given as (x, y, z), the order of configs and grids. */
  public static int[] networkAxes(int[] xyz) {
    if (xyz.length != 3) {
      throw new IllegalArgumentException("a 3-D size has three values (x, y, z), got " + xyz.length);
    }
    return new int[] {xyz[2], xyz[1], xyz[0]};
  }

  /** The input shape of a batch of {@code batchSize} patches of {@code patch} = {D, H, W}. */
  public Shape inputShape(int batchSize, int[] patch) {
    return new Shape(batchSize, inputChannels, patch[0], patch[1], patch[2]);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray input = inputs.singletonOrThrow();
    checkInput(input.getShape());
    List<NDArray> skips = new ArrayList<>();
    NDList features = stem.forward(parameterStore, inputs, training, params);
    for (Down down : downs) {
      skips.add(features.singletonOrThrow());
      features = down.forward(parameterStore, features, training, params);
    }
    for (int i = 0; i < ups.size(); i++) {
      NDArray skip = skips.get(skips.size() - 1 - i);
      features = ups.get(i).forward(parameterStore, new NDList(features.singletonOrThrow(), skip), training, params);
    }
    return head.forward(parameterStore, features, training, params);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    checkInput(inputShapes[0]);
    List<Shape> skips = new ArrayList<>();
    Shape features = initialize(stem, manager, dataType, inputShapes[0]);
    for (Down down : downs) {
      skips.add(features);
      features = initialize(down, manager, dataType, features);
    }
    for (int i = 0; i < ups.size(); i++) {
      features = initialize(ups.get(i), manager, dataType, features, skips.get(skips.size() - 1 - i));
    }
    head.initialize(manager, dataType, features);
  }

  private static Shape initialize(AbstractBlock block, NDManager manager, DataType dataType, Shape... inputs) {
    block.initialize(manager, dataType, inputs);
    return block.getOutputShapes(inputs)[0];
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    return new Shape[] {new Shape(in.get(0), 1, in.get(2), in.get(3), in.get(4))};
  }

  private void checkInput(Shape shape) {
    boolean sizesFit = shape.dimension() == 5;
    long coarsestVoxels = 1;
    for (int axis = 2; sizesFit && axis < 5; axis++) {
      sizesFit = shape.get(axis) > 0 && shape.get(axis) % sizeMultiple() == 0;
      coarsestVoxels *= shape.get(axis) / sizeMultiple();
    }
    // instance norm needs more than one voxel per channel, also at the coarsest level
    if (!sizesFit || coarsestVoxels < 2 || shape.get(1) != inputChannels) {
      throw new IllegalArgumentException("UNet3d expects (N, " + inputChannels + ", D, H, W) with D, H, W multiples of "
          + sizeMultiple() + " and more than one voxel at the coarsest level, got " + shape);
    }
  }


  /** Builds a {@link UNet3d}; {@link #setBaseChannels} is required. */
  public static final class Builder {
    public static final int DEFAULT_DEPTH = 4;
    /** The deepest network built: six down-samplings (a patch must then be a multiple of 64). */
    public static final int MAX_DEPTH = 6;
    public static final int DEFAULT_INPUT_CHANNELS = 2;

    private int baseChannels;
    private int depth = DEFAULT_DEPTH;
    private int inputChannels = DEFAULT_INPUT_CHANNELS;

    private Builder() {}

    /** Channels at full resolution (32 in the recipe, 16 when compute is short). */
    public Builder setBaseChannels(int baseChannels) {
      this.baseChannels = baseChannels;
      return this;
    }

    /** Number of 2x down-samplings (default 4, i.e. 5 resolutions). */
    public Builder optDepth(int depth) {
      this.depth = depth;
      return this;
    }

    /** Image channels (default 2: DWI and ADC). */
    public Builder optInputChannels(int inputChannels) {
      this.inputChannels = inputChannels;
      return this;
    }

    public UNet3d build() {
      if (baseChannels < 1) {
        throw new IllegalArgumentException("UNet3d base channels must be set and positive, got " + baseChannels);
      }
      if (depth < 1 || depth > MAX_DEPTH) {
        throw new IllegalArgumentException("UNet3d depth must be in 1.." + MAX_DEPTH + ", got " + depth);
      }
      if (inputChannels < 1) {
        throw new IllegalArgumentException("UNet3d input channels must be positive, got " + inputChannels);
      }
      return new UNet3d(this);
    }
  }
}

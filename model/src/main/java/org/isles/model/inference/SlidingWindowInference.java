package org.isles.model.inference;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.translate.TranslateException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.isles.model.OfflinePyTorch;
import org.isles.model.run.ModelCard;

/**
 * Whole-volume prediction with a patch network: overlapping windows (nnU-Net's grid), several
 * windows per forward pass, optional mirroring test-time augmentation, and an importance-weighted
 * average of the windows' foreground probabilities.
 *
 * <p>Probabilities, not logits, are averaged (over mirrorings and over overlapping windows):
 * {@code p = sigmoid(logit / temperature)} per pass, then the weighted mean. This keeps one
 * confident window from dominating its neighbours and is the same rule the ensemble uses across
 * models, so every averaging step in the product is on probabilities.
 *
 * <p>Volumes smaller than the patch along an axis are zero-padded symmetrically (zero is the
 * background of z-scored images) and the result is cropped back.
 *
 * <p>Instances are immutable and may be shared by threads; the {@link Predictor} is not
 * thread-safe, so each thread passes its own (from one shared {@code Model}). All native memory of
 * a window batch lives in its own sub-manager and is freed before the next batch.
 */
public final class SlidingWindowInference {
  public static final double DEFAULT_OVERLAP = 0.5;

  private final int[] patch;
  private final double overlap;
  private final int windowBatchSize;
  private final List<int[]> mirroredAxes;
  private final float temperature;
  private final float[] windowWeights;
  private final ModelCard.Output output;
  private final int outputChannels;
  private final int lesionChannel;

  /** A network over window batches: (N, C, pd, ph, pw) in, (N, K, pd, ph, pw) out, K as the card says. */
  @FunctionalInterface
  public interface WindowNetwork {
    NDArray forward(NDArray batch);
  }

  /** A window network that holds native resources until closed. */
  public interface ClosableWindowNetwork extends WindowNetwork, AutoCloseable {
    @Override
    void close();
  }

  private SlidingWindowInference(Builder builder) {
    patch = builder.patch.clone();
    overlap = builder.overlap;
    windowBatchSize = builder.windowBatchSize;
    mirroredAxes = builder.augmentation.mirroredAxes(builder.leftRightAxis);
    temperature = builder.temperature;
    windowWeights = builder.weighting.weights(patch);
    output = builder.output;
    outputChannels = builder.outputChannels;
    lesionChannel = builder.lesionChannel;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Foreground probability of every voxel.
   *
   * @param predictor a network mapping a (N, C, pd, ph, pw) batch to (N, K, pd, ph, pw) outputs (by default K = 1 logit)
   * @param image channels x D x H x W values, W fastest: the {@code Volume.data()} arrays of the
   *     channels, concatenated
   * @param shape {C, D, H, W}; for {@code Volume}s on a grid that is {C, nz, ny, nx}
   * @return D x H x W probabilities, W fastest
   */
  public float[] predictProbabilities(Predictor<NDList, NDList> predictor, float[] image, int[] shape) {
    return predictProbabilities(batch -> forward(predictor, batch), image, shape);
  }

  /** As {@link #predictProbabilities(Predictor, float[], int[])}, with any window network. */
  public float[] predictProbabilities(WindowNetwork network, float[] image, int[] shape) {
    if (shape.length != 4 || image.length != (long) shape[0] * shape[1] * shape[2] * shape[3]) {
      throw new IllegalArgumentException("sliding window needs a C x D x H x W image; shape "
          + Arrays.toString(shape) + " does not match " + image.length + " values");
    }
    int channels = shape[0];
    int[] size = {shape[1], shape[2], shape[3]};
    int[] padded = new int[3];
    int[] offset = new int[3];
    for (int axis = 0; axis < 3; axis++) {
      padded[axis] = Math.max(size[axis], patch[axis]);
      offset[axis] = (padded[axis] - size[axis]) / 2;
    }
    float[] source = Arrays.equals(padded, size) ? image : pad(image, channels, size, padded, offset);
    List<int[]> windows = windowStarts(padded);
    int paddedVoxels = padded[0] * padded[1] * padded[2];
    float[] weightedSum = new float[paddedVoxels];
    float[] weightTotal = new float[paddedVoxels];
    int patchVoxels = patch[0] * patch[1] * patch[2];
    try (NDManager manager = OfflinePyTorch.newBaseManager()) {
      for (int first = 0; first < windows.size(); first += windowBatchSize) {
        List<int[]> batch = windows.subList(first, Math.min(first + windowBatchSize, windows.size()));
        float[] input = new float[batch.size() * channels * patchVoxels];
        for (int b = 0; b < batch.size(); b++) {
          for (int c = 0; c < channels; c++) {
            copyWindow(source, c * paddedVoxels, padded, batch.get(b), input, (b * channels + c) * patchVoxels);
          }
        }
        float[] probabilities;
        try (NDManager batchManager = manager.newSubManager()) {
          NDArray windowBatch = batchManager.create(input, new Shape(batch.size(), channels, patch[0], patch[1], patch[2]));
          probabilities = averagedProbabilities(network, windowBatch);
        }
        for (int b = 0; b < batch.size(); b++) {
          accumulate(probabilities, b * patchVoxels, padded, batch.get(b), weightedSum, weightTotal);
        }
      }
    }
    return cropAndNormalise(weightedSum, weightTotal, padded, size, offset);
  }

  private List<int[]> windowStarts(int[] padded) {
    int[] zs = WindowGrid.starts(padded[0], patch[0], overlap);
    int[] ys = WindowGrid.starts(padded[1], patch[1], overlap);
    int[] xs = WindowGrid.starts(padded[2], patch[2], overlap);
    List<int[]> windows = new ArrayList<>(zs.length * ys.length * xs.length);
    for (int z : zs) {
      for (int y : ys) {
        for (int x : xs) {
          windows.add(new int[] {z, y, x});
        }
      }
    }
    return windows;
  }

  private float[] averagedProbabilities(WindowNetwork network, NDArray windowBatch) {
    // Torch's grad mode is per thread and on by default; DJL only turns it off on the thread that
    // loaded the engine. Off here, a worker thread does not record a graph for trained weights.
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      NDArray sum = null;
      for (int[] axes : mirroredAxes) {
        NDArray input = axes.length == 0 ? windowBatch : windowBatch.flip(axes);
        NDArray raw = checkedOutput(network.forward(input), input.getShape());
        NDArray unmirrored = axes.length == 0 ? raw : raw.flip(axes);
        NDArray probability = lesionProbability(unmirrored);
        sum = sum == null ? probability : sum.add(probability);
      }
      return sum.div(mirroredAxes.size()).toFloatArray();
    } finally {
      JniUtils.setGradMode(gradMode);
    }
  }

  private NDArray checkedOutput(NDArray raw, Shape input) {
    Shape expected = new Shape(input.get(0), outputChannels, input.get(2), input.get(3), input.get(4));
    if (!raw.getShape().equals(expected)) {
      throw new IllegalArgumentException("the model returned " + raw.getShape() + " for a window batch " + input
          + "; its card expects " + expected + " (" + outputChannels + " output channel" + (outputChannels == 1 ? "" : "s")
          + ", the window's size)");
    }
    return raw;
  }

  /** The lesion channel's probability as (N, 1, pd, ph, pw). */
  private NDArray lesionProbability(NDArray raw) {
    return switch (output) {
      case SIGMOID_LOGITS -> lesionChannel(raw).div(temperature).getNDArrayInternal().sigmoid();
      case SOFTMAX_LOGITS -> lesionChannel(raw.div(temperature).softmax(1));
      case PROBABILITIES -> lesionChannel(raw);
    };
  }

  private NDArray lesionChannel(NDArray channels) {
    return outputChannels == 1 ? channels : channels.get(":, " + lesionChannel + ":" + (lesionChannel + 1));
  }

  private static NDArray forward(Predictor<NDList, NDList> predictor, NDArray input) {
    try {
      return predictor.predict(new NDList(input)).singletonOrThrow();
    } catch (TranslateException e) {
      throw new IllegalStateException("sliding-window forward pass failed on a batch of shape " + input.getShape(), e);
    }
  }

  private void copyWindow(float[] volume, int volumeOffset, int[] dims, int[] start, float[] window, int windowOffset) {
    int i = windowOffset;
    for (int z = 0; z < patch[0]; z++) {
      for (int y = 0; y < patch[1]; y++) {
        int row = volumeOffset + ((start[0] + z) * dims[1] + start[1] + y) * dims[2] + start[2];
        System.arraycopy(volume, row, window, i, patch[2]);
        i += patch[2];
      }
    }
  }

  private void accumulate(float[] probabilities, int windowOffset, int[] dims, int[] start, float[] weightedSum,
      float[] weightTotal) {
    int k = 0;
    for (int z = 0; z < patch[0]; z++) {
      for (int y = 0; y < patch[1]; y++) {
        int row = ((start[0] + z) * dims[1] + start[1] + y) * dims[2] + start[2];
        for (int x = 0; x < patch[2]; x++, k++) {
          weightedSum[row + x] += windowWeights[k] * probabilities[windowOffset + k];
          weightTotal[row + x] += windowWeights[k];
        }
      }
    }
  }

  private static float[] pad(float[] image, int channels, int[] size, int[] padded, int[] offset) {
    int voxels = size[0] * size[1] * size[2];
    int paddedVoxels = padded[0] * padded[1] * padded[2];
    float[] result = new float[channels * paddedVoxels];
    for (int c = 0; c < channels; c++) {
      for (int z = 0; z < size[0]; z++) {
        for (int y = 0; y < size[1]; y++) {
          int from = c * voxels + (z * size[1] + y) * size[2];
          int to = c * paddedVoxels + ((z + offset[0]) * padded[1] + y + offset[1]) * padded[2] + offset[2];
          System.arraycopy(image, from, result, to, size[2]);
        }
      }
    }
    return result;
  }

  private static float[] cropAndNormalise(float[] weightedSum, float[] weightTotal, int[] padded, int[] size,
      int[] offset) {
    float[] result = new float[size[0] * size[1] * size[2]];
    int i = 0;
    for (int z = 0; z < size[0]; z++) {
      for (int y = 0; y < size[1]; y++) {
        int row = ((z + offset[0]) * padded[1] + y + offset[1]) * padded[2] + offset[2];
        for (int x = 0; x < size[2]; x++) {
          result[i++] = weightedSum[row + x] / weightTotal[row + x];
        }
      }
    }
    return result;
  }

  /** Builds a {@link SlidingWindowInference}; {@link #setPatchSize} is required. */
  public static final class Builder {
    private int[] patch;
    private double overlap = DEFAULT_OVERLAP;
    private ImportanceWeighting weighting = ImportanceWeighting.CONSTANT;
    private int windowBatchSize = 1;
    private TestTimeAugmentation augmentation = TestTimeAugmentation.NONE;
    private int leftRightAxis = 4;
    private float temperature = 1f;
    private ModelCard.Output output = ModelCard.Output.SIGMOID_LOGITS;
    private int outputChannels = 1;
    private int lesionChannel;

    private Builder() {}

    /** What the network returns (see {@link ModelCard}); default one channel of sigmoid logits. */
    public Builder optOutput(ModelCard.Output output, int outputChannels, int lesionChannel) {
      this.output = output;
      this.outputChannels = outputChannels;
      this.lesionChannel = lesionChannel;
      return this;
    }

    /** Window size {D, H, W}; must suit the network (multiples of its size multiple). */
    public Builder setPatchSize(int... patch) {
      this.patch = patch.clone();
      return this;
    }

    /** Fraction of a window shared with its neighbour, in [0, 1); default 0.5. */
    public Builder optOverlap(double overlap) {
      this.overlap = overlap;
      return this;
    }

    /** Default {@link ImportanceWeighting#CONSTANT}. */
    public Builder optWeighting(ImportanceWeighting weighting) {
      this.weighting = weighting;
      return this;
    }

    /** Windows per forward pass; default 1. */
    public Builder optWindowBatchSize(int windowBatchSize) {
      this.windowBatchSize = windowBatchSize;
      return this;
    }

    /** Default {@link TestTimeAugmentation#NONE}. */
    public Builder optTestTimeAugmentation(TestTimeAugmentation augmentation) {
      this.augmentation = augmentation;
      return this;
    }

    /**
     * The batch axis that runs left-right, which {@link TestTimeAugmentation#FLIP} mirrors: 4 (W,
     * the volume's x axis; the default), 3 (H) or 2 (D) for volumes stored sagittally or coronally.
     */
    public Builder optLeftRightAxis(int leftRightAxis) {
      this.leftRightAxis = leftRightAxis;
      return this;
    }

    /** Logits are divided by this before the sigmoid (calibration); default 1. */
    public Builder optTemperature(float temperature) {
      this.temperature = temperature;
      return this;
    }

    public SlidingWindowInference build() {
      if (patch == null || patch.length != 3 || Arrays.stream(patch).anyMatch(p -> p < 1)) {
        throw new IllegalArgumentException("sliding window needs a positive 3D patch size, got "
            + (patch == null ? "none" : Arrays.toString(patch)));
      }
      if (!(overlap >= 0 && overlap < 1)) {
        throw new IllegalArgumentException("sliding-window overlap must be in [0, 1), got " + overlap);
      }
      if (windowBatchSize < 1) {
        throw new IllegalArgumentException("window batch size must be positive, got " + windowBatchSize);
      }
      if (!(temperature > 0)) {
        throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
      }
      if (weighting == null || augmentation == null || output == null) {
        throw new IllegalArgumentException("sliding-window weighting, test-time augmentation and output must not be null");
      }
      if (outputChannels < 1 || lesionChannel < 0 || lesionChannel >= outputChannels) {
        throw new IllegalArgumentException("lesion channel " + lesionChannel + " is not one of " + outputChannels + " outputs");
      }
      if (output == ModelCard.Output.PROBABILITIES && temperature != 1f) {
        throw new IllegalArgumentException("a temperature needs a model that returns logits; this one returns probabilities");
      }
      return new SlidingWindowInference(this);
    }
  }
}

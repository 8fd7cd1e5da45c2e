package org.isles.model.training;

import java.io.Serializable;
import java.util.Arrays;
import org.isles.augment.AugmentationConfig;
import org.isles.model.inference.Precision;
import org.isles.model.unet.UNet3d;

/**
 * Everything that defines a training run, read from a {@code configs/NAME.yaml} file (keys in
 * snake_case). Every field is required, so a config file states its whole recipe.
 *
 * @param name the config's name, used in logs
 * @param spacingMm voxel size the processed cases must have (x, y, z)
 * @param patchSize training patch (x, y, z) in voxels, multiples of 2^depth
 * @param baseChannels channels at full resolution (32 in the recipe, 16 when compute is short)
 * @param depth number of down-samplings (4: five resolutions)
 * @param epochs planned epochs; the cosine schedule reaches 0 at their end
 * @param iterationsPerEpoch optimizer updates per epoch
 * @param batchSize patches per update (1 in the recipe); batches above 1 also let torch use its
 *     fast convolution kernels on small patches
 * @param learningRate AdamW's base learning rate
 * @param weightDecay AdamW's decoupled weight decay
 * @param foregroundRatio share of patches centred on a lesion voxel
 * @param augmentation the on-the-fly augmentations: {@code true} for the recipe's mild ones, {@code
 *     false} for none, or a mapping that overrides some of their settings (see {@link AugmentationConfig})
 * @param loss the loss and its options
 * @param validateEvery validate every this many epochs (and after the last)
 * @param patience stop after this many epochs without a better validation Dice
 * @param valPatchSize sliding-window patch (x, y, z) for validation
 * @param valOverlap sliding-window overlap for validation, in [0, 1)
 * @param seed base seed; a job's seed is {@code seed + job seed}
 * @param threads torch intra-op threads per model
 * @param loaderThreads background threads preparing patches
 * @param precision what the run's predictions compute in ({@code isles run} passes it to its
 *     predict stages; optional in the file, default {@code auto}); training itself computes in
 *     float32 whatever this says: DJL's trainer has no bf16 path
 * @param emaDecay decay of the moving average of the weights that validation, checkpoints and so
 *     inference use ({@link WeightAverage}); 0 (the default when the file leaves it out) keeps
 *     the training weights
 */
public record TrainingConfig(
    String name,
    double[] spacingMm,
    int[] patchSize,
    int baseChannels,
    int depth,
    int epochs,
    int iterationsPerEpoch,
    int batchSize,
    double learningRate,
    double weightDecay,
    double foregroundRatio,
    AugmentationConfig augmentation,
    LossConfig loss,
    int validateEvery,
    int patience,
    int[] valPatchSize,
    double valOverlap,
    long seed,
    int threads,
    int loaderThreads,
    Precision precision,
    double emaDecay) implements Serializable {

  public TrainingConfig {
    require(name != null && !name.isBlank(), "name must be set");
    require(spacingMm != null && spacingMm.length == 3 && Arrays.stream(spacingMm).allMatch(s -> s > 0),
        "spacing_mm must be three positive sizes, got " + Arrays.toString(spacingMm));
    requirePatch("patch_size", patchSize, depth);
    requirePatch("val_patch_size", valPatchSize, depth);
    require(baseChannels > 0, "base_channels must be positive, got " + baseChannels);
    require(depth >= 1 && depth <= UNet3d.Builder.MAX_DEPTH, "depth must be in 1.." + UNet3d.Builder.MAX_DEPTH + ", got " + depth);
    require(epochs > 0 && iterationsPerEpoch > 0, "epochs and iterations_per_epoch must be positive");
    require(batchSize > 0, "batch_size must be positive, got " + batchSize);
    require(learningRate > 0, "learning_rate must be positive, got " + learningRate);
    require(weightDecay >= 0, "weight_decay must be >= 0, got " + weightDecay);
    require(foregroundRatio >= 0 && foregroundRatio <= 1, "foreground_ratio must be in [0, 1], got " + foregroundRatio);
    require(loss != null, "loss must be set");
    require(augmentation != null, "augmentation must be set");
    require(validateEvery > 0 && patience > 0, "validate_every and patience must be positive");
    require(valOverlap >= 0 && valOverlap < 1, "val_overlap must be in [0, 1), got " + valOverlap);
    require(threads > 0 && loaderThreads > 0, "threads and loader_threads must be positive");
    require(precision != null, "precision must be fp32, bf16, int8 or auto");
    require(emaDecay >= 0 && emaDecay < 1, "ema_decay must be in [0, 1), got " + emaDecay);
    spacingMm = spacingMm.clone();
    patchSize = patchSize.clone();
    valPatchSize = valPatchSize.clone();
  }

  /** Total optimizer updates the schedule is planned over. */
  public int plannedIterations() {
    return Math.multiplyExact(epochs, iterationsPerEpoch);
  }

  /** Patches drawn per epoch. */
  public int samplesPerEpoch() {
    return Math.multiplyExact(iterationsPerEpoch, batchSize);
  }

  /** The same recipe with another number of torch threads per model. */
  public TrainingConfig withThreads(int newThreads) {
    return new TrainingConfig(name, spacingMm, patchSize, baseChannels, depth, epochs, iterationsPerEpoch, batchSize, learningRate,
        weightDecay, foregroundRatio, augmentation, loss, validateEvery, patience, valPatchSize, valOverlap, seed,
        newThreads, loaderThreads, precision, emaDecay);
  }

  private static void requirePatch(String key, int[] patch, int depth) {
    int multiple = 1 << depth;
    require(patch != null && patch.length == 3 && Arrays.stream(patch).allMatch(p -> p > 0 && p % multiple == 0),
        key + " must be three sizes, multiples of 2^depth = " + multiple + ", got " + Arrays.toString(patch));
  }

  static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException("training config: " + message);
    }
  }
}

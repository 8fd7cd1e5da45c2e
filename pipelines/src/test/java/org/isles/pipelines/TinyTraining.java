package org.isles.pipelines;

/** A training config small enough that a whole train-and-predict round takes seconds. */
public final class TinyTraining {
  public static final String CONFIG = """
      name: tiny
      spacing_mm: [4.0, 4.0, 4.0]
      patch_size: [16, 16, 16]
      base_channels: 4
      depth: 2
      epochs: 1
      iterations_per_epoch: 2
      batch_size: 1
      learning_rate: 1.0e-2
      weight_decay: 1.0e-5
      foreground_ratio: 0.5
      augmentation: false
      loss: {overlap: dice, overlap_weight: 1.0, bce_weight: 1.0, bce_positive_weight: 1.0,
             tversky_alpha: 0.3, tversky_beta: 0.7, tversky_gamma: 1.0}
      validate_every: 1
      patience: 5
      val_patch_size: [32, 16, 16]
      val_overlap: 0.0
      seed: 0
      threads: 1
      loader_threads: 1
      """;

  private TinyTraining() {}
}

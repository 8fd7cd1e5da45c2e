package org.isles.pipelines.predict;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.isles.model.inference.CpuFeatures;
import org.isles.model.inference.InferenceOptions;
import org.isles.model.inference.Precision;
import org.isles.model.inference.PrecisionChoice;
import org.isles.model.run.RunModel;
import org.isles.model.run.TrainedRun;

/**
 * What {@code isles predict} runs: which models of which run, how they slide over a volume, the
 * mask threshold, and the torch threads each worker's forward passes use.
 *
 * @param runDir the trained run
 * @param modelIds models of the run to average (see {@link TrainedRun#select})
 * @param threshold mask = probability >= threshold
 * @param torchThreads torch intra-op threads per JVM (shared by the JVM's concurrent cases)
 * @param precision what the networks compute in, resolved on the driver's CPU
 */
public record PredictionSettings(String runDir, List<String> modelIds, InferenceOptions inference, double threshold,
    int torchThreads, PrecisionChoice precision) implements Serializable {
  public static final double DEFAULT_THRESHOLD = 0.5;

  public PredictionSettings {
    modelIds = List.copyOf(modelIds);
    if (!(threshold > 0 && threshold <= 1)) {
      throw new IllegalArgumentException("mask threshold must be in (0, 1], got " + threshold);
    }
    if (torchThreads < 1) {
      throw new IllegalArgumentException("torch threads must be positive, got " + torchThreads);
    }
    if (precision == null) {
      throw new IllegalArgumentException("a prediction needs a resolved precision");
    }
  }

  /**
   * Every model of {@code run}, or the listed ones, in {@code precision} resolved for them on this
   * machine's CPU (a value their engines cannot serve is refused here, before any case runs).
   */
  public static PredictionSettings of(TrainedRun run, List<String> models, InferenceOptions inference, double threshold,
      int torchThreads, Precision precision) {
    List<String> ids = models == null || models.isEmpty() ? run.modelIds() : run.select(models);
    Map<String, RunModel.Format> formats = new LinkedHashMap<>();
    ids.forEach(id -> formats.put(id, run.model(id).format()));
    PrecisionChoice choice = PrecisionChoice.resolve(precision, CpuFeatures.ofThisMachine(), formats);
    return new PredictionSettings(run.dir().toString(), ids, inference, threshold, torchThreads, choice);
  }

  /** The same inference with other models of the run, e.g. one fold's. */
  public PredictionSettings withModels(List<String> otherModelIds) {
    return new PredictionSettings(runDir, otherModelIds, inference, threshold, torchThreads, precision);
  }

  public Path run() {
    return Path.of(runDir);
  }

  /** The record written beside the predictions, so a set of predictions says how it was made. */
  public Map<String, Object> toJson(TrainedRun run) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("run", runDir);
    json.put("models", modelIds);
    json.put("patch_size", patchSizes(run));
    json.put("overlap", inference.overlap());
    json.put("weighting", inference.weighting().name().toLowerCase());
    json.put("tta", inference.augmentation().name().toLowerCase());
    json.put("temperature", inference.temperature());
    json.put("window_batch", inference.windowBatchSize());
    json.put("precision", precision.toJson());
    json.put("ensemble", "mean probability over models");
    json.put("threshold", threshold);
    json.put("preprocessing", run.preprocessing(modelIds).toJson());
    json.put("output_grid", "each case's original DWI grid (linear interpolation of probabilities)");
    return json;
  }

  /** The models' common patch (x, y, z), or each model's when they differ. */
  public Object patchSizes(TrainedRun run) {
    Map<String, int[]> byModel = new LinkedHashMap<>();
    modelIds.forEach(id -> byModel.put(id, run.model(id).card().patchSize()));
    int[] first = byModel.values().iterator().next();
    return byModel.values().stream().allMatch(p -> Arrays.equals(p, first)) ? first : byModel;
  }
}

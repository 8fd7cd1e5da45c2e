package org.isles.model.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.isles.io.Json;
import org.isles.model.unet.UNet3d;
import org.isles.preprocess.PreprocessingSettings;

/**
 * What inference needs to know about a trained run, written by training as {@value
 * ModelFolder#RECIPE} in the run directory: the network's shape (to rebuild it before loading parameters), the patch the
 * sliding window uses, and the preprocessing every input must go through, exactly as in training.
 *
 * @param baseChannels channels at full resolution
 * @param depth number of down-samplings
 * @param patchSize sliding-window patch (x, y, z) in voxels, multiples of 2^depth
 * @param preprocessing the settings the run's cases were preprocessed with; its channels are the
 *     network's inputs
 */
public record RunRecipe(int baseChannels, int depth, int[] patchSize, PreprocessingSettings preprocessing) {
  public RunRecipe {
    if (baseChannels < 1 || depth < 1 || depth > UNet3d.Builder.MAX_DEPTH) {
      throw new IllegalArgumentException("run network needs base channels >= 1 and depth 1.." + UNet3d.Builder.MAX_DEPTH + ", got "
          + baseChannels + " and " + depth);
    }
    int multiple = 1 << depth;
    if (patchSize == null || patchSize.length != 3 || Arrays.stream(patchSize).anyMatch(p -> p < 1 || p % multiple != 0)) {
      throw new IllegalArgumentException("run patch size must be three multiples of 2^depth = " + multiple + ", got "
          + Arrays.toString(patchSize));
    }
    patchSize = patchSize.clone();
  }

  @Override
  public int[] patchSize() {
    return patchSize.clone();
  }

  public int inputChannels() {
    return preprocessing.channels().length;
  }

  /** A fresh, uninitialised network of this run's shape. */
  public UNet3d network() {
    return UNet3d.builder().setBaseChannels(baseChannels).optDepth(depth).optInputChannels(inputChannels()).build();
  }

  /** The sliding-window patch as {D, H, W} = (z, y, x), the order of the network's axes. */
  public int[] windowShape() {
    return UNet3d.networkAxes(patchSize);
  }

  /** The card of every network trained with this recipe: one logit channel, the recipe's inputs. */
  public ModelCard card() {
    return new ModelCard(List.of(preprocessing.channels()), preprocessing, patchSize, ModelCard.Output.SIGMOID_LOGITS, 1, 0);
  }

  public void write(Path runDir) {
    Map<String, Object> network = new LinkedHashMap<>();
    network.put("input_channels", inputChannels());
    network.put("base_channels", baseChannels);
    network.put("depth", depth);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("network", network);
    json.put("patch_size", patchSize);
    json.put("preprocessing", preprocessing.toJson());
    Json.write(runDir.resolve(ModelFolder.RECIPE), json);
  }

  public static RunRecipe read(Path runDir) {
    Path file = ModelFolder.recipe(runDir);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("not a trained run: " + file + " is missing");
    }
    Map<?, ?> json = Json.read(file, Map.class);
    try {
      Map<?, ?> network = (Map<?, ?>) json.get("network");
      int[] patch = ((List<?>) json.get("patch_size")).stream().mapToInt(v -> ((Number) v).intValue()).toArray();
      PreprocessingSettings preprocessing = PreprocessingSettings.fromJson((Map<?, ?>) json.get("preprocessing"));
      RunRecipe recipe = new RunRecipe(((Number) network.get("base_channels")).intValue(),
          ((Number) network.get("depth")).intValue(), patch, preprocessing);
      int recordedChannels = ((Number) network.get("input_channels")).intValue();
      if (recordedChannels != recipe.inputChannels()) {
        throw new IllegalArgumentException("network has " + recordedChannels + " input channels but preprocessing gives "
            + recipe.inputChannels());
      }
      return recipe;
    } catch (ClassCastException | NullPointerException | IllegalArgumentException e) {
      throw new IllegalArgumentException("malformed run recipe " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RunRecipe r && baseChannels == r.baseChannels && depth == r.depth
        && Arrays.equals(patchSize, r.patchSize) && preprocessing.equals(r.preprocessing);
  }

  @Override
  public int hashCode() {
    return (31 * baseChannels + depth) * 31 * 31 + 31 * Arrays.hashCode(patchSize) + preprocessing.hashCode();
  }
}

package org.isles.model.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.isles.io.AtomicFiles;
import org.isles.model.unet.UNet3d;
import org.isles.preprocess.Normalization;
import org.isles.preprocess.PreprocessingSettings;

/**
 * What a segmentation model expects and returns, so inference can prepare its input and read its
 * output whatever trained it. Models trained here get theirs from the {@link RunRecipe}; models
 * trained elsewhere bring one as YAML ({@value #FILE}):
 * <pre>
 * channels: [dwi, adc]            # input channels in the model's order: dwi, adc, flair
 * spacing_mm: [2.0, 2.0, 2.0]     # target voxel size x, y, z; or max_zoom_mm: 2.0
 * normalization: nonzero_zscore   # the recipe's brain clip + z-score, or none
 * patch_size: [64, 64, 64]        # sliding-window patch x, y, z in voxels
 * output: sigmoid_logits          # sigmoid_logits, softmax_logits or probabilities
 * output_channels: 1              # channels the model returns (default 1)
 * lesion_channel: 0               # which of them is the lesion (default 0)
 * crop_margin_voxels: 2           # optional, margin around the brain box (default 2)
 * </pre>
 *
 * @param channels input channels in the model's order
 * @param preprocessing resampling, cropping and normalization; its FLAIR flag follows {@code channels}
 * @param patchSize sliding-window patch (x, y, z)
 */
public record ModelCard(List<String> channels, PreprocessingSettings preprocessing, int[] patchSize, Output output,
    int outputChannels, int lesionChannel) {
  public static final String FILE = "card.yaml";
  public static final String DWI = "dwi";
  public static final String ADC = "adc";
  public static final String FLAIR = "flair";
  private static final Set<String> KEYS = Set.of("channels", "spacing_mm", "max_zoom_mm", "normalization", "patch_size",
      "output", "output_channels", "lesion_channel", "crop_margin_voxels");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
  private static final int DEFAULT_CROP_MARGIN = 2;

  /** What the model's output channels hold. */
  public enum Output {
    /** Logits; the lesion probability is the sigmoid of the lesion channel. */
    SIGMOID_LOGITS,
    /** Logits over classes; the lesion probability is the softmax's lesion channel. */
    SOFTMAX_LOGITS,
    /** Probabilities already; the lesion channel is read as is. */
    PROBABILITIES;

    public String cardName() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Output parse(String text) {
      for (Output o : values()) {
        if (o.cardName().equals(text)) {
          return o;
        }
      }
      throw new IllegalArgumentException("output must be one of "
          + Arrays.stream(values()).map(Output::cardName).toList() + ", got '" + text + "'");
    }
  }

  public ModelCard {
    channels = List.copyOf(channels);
    if (channels.isEmpty() || !channels.contains(DWI) || channels.stream().distinct().count() != channels.size()
        || !List.of(DWI, ADC, FLAIR).containsAll(channels)) {
      throw new IllegalArgumentException("channels must list dwi and optionally adc and flair, each once, got " + channels);
    }
    if (preprocessing.useFlair() != channels.contains(FLAIR)) {
      throw new IllegalArgumentException("preprocessing " + (preprocessing.useFlair() ? "uses" : "does not use")
          + " FLAIR but the channels are " + channels);
    }
    if (patchSize == null || patchSize.length != 3 || Arrays.stream(patchSize).anyMatch(p -> p < 1)) {
      throw new IllegalArgumentException("patch_size must be three positive voxel counts, got " + Arrays.toString(patchSize));
    }
    patchSize = patchSize.clone();
    if (output == null) {
      throw new IllegalArgumentException("output must be set");
    }
    if (outputChannels < 1 || lesionChannel < 0 || lesionChannel >= outputChannels) {
      throw new IllegalArgumentException("lesion_channel must be one of the " + outputChannels + " output channels, got "
          + lesionChannel);
    }
    if (output == Output.SOFTMAX_LOGITS && outputChannels < 2) {
      throw new IllegalArgumentException("softmax_logits needs at least 2 output channels, got " + outputChannels);
    }
  }

  @Override
  public int[] patchSize() {
    return patchSize.clone();
  }

  /** The sliding-window patch as {D, H, W} = (z, y, x), the order of the network's axes. */
  public int[] windowShape() {
    return UNet3d.networkAxes(patchSize);
  }

  /** Where each of the model's input channels is among {@link PreprocessingSettings#channels()}. */
  public int[] inputChannelIndices() {
    List<String> prepared = List.of(preprocessing.channels());
    return channels.stream().mapToInt(prepared::indexOf).toArray();
  }

  public static ModelCard read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("model card " + file + " does not exist");
    }
    try {
      Object parsed = YAML.readValue(file.toFile(), Object.class);
      if (!(parsed instanceof Map<?, ?> map)) {
        throw new IllegalArgumentException("not a mapping of card keys");
      }
      return fromMap(map);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("bad model card " + file + ": " + firstLine(e.getMessage()), e);
    }
  }

  public void write(Path file) {
    AtomicFiles.writeBytes(file, toYaml().getBytes(StandardCharsets.UTF_8));
  }

  public String toYaml() {
    try {
      return YAML.writeValueAsString(toMap());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write model card: " + e.getMessage(), e);
    }
  }

  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("channels", channels);
    if (preprocessing.spacingMm() != null) {
      map.put("spacing_mm", preprocessing.spacingMm());
    } else {
      map.put("max_zoom_mm", preprocessing.maxZoomMm());
    }
    map.put("normalization", preprocessing.normalization().cardName());
    map.put("patch_size", patchSize);
    map.put("output", output.cardName());
    map.put("output_channels", outputChannels);
    map.put("lesion_channel", lesionChannel);
    map.put("crop_margin_voxels", preprocessing.cropMarginVoxels());
    return map;
  }

  static ModelCard fromMap(Map<?, ?> map) {
    List<Object> unknown = new ArrayList<>(map.keySet());
    unknown.removeAll(KEYS);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown keys " + unknown + "; a card has " + KEYS);
    }
    List<String> channels = required(map, "channels", List.class).stream().map(c -> String.valueOf(c).toLowerCase(Locale.ROOT)).toList();
    boolean flair = channels.contains(FLAIR);
    PreprocessingSettings preprocessing;
    if (map.containsKey("spacing_mm") == map.containsKey("max_zoom_mm")) {
      throw new IllegalArgumentException("give either spacing_mm or max_zoom_mm");
    } else if (map.containsKey("spacing_mm")) {
      List<?> spacing = required(map, "spacing_mm", List.class);
      preprocessing = PreprocessingSettings.spacing(spacing.stream().mapToDouble(v -> number(v, "spacing_mm")).toArray());
    } else {
      preprocessing = PreprocessingSettings.maxZoom(number(map.get("max_zoom_mm"), "max_zoom_mm"));
    }
    int margin = map.containsKey("crop_margin_voxels") ? (int) number(map.get("crop_margin_voxels"), "crop_margin_voxels")
        : DEFAULT_CROP_MARGIN;
    preprocessing = preprocessing.withFlair(flair).withCropMargin(margin)
        .withNormalization(Normalization.parse(required(map, "normalization", String.class)));
    int[] patch = required(map, "patch_size", List.class).stream().mapToInt(v -> (int) number(v, "patch_size")).toArray();
    int outputChannels = map.containsKey("output_channels") ? (int) number(map.get("output_channels"), "output_channels") : 1;
    int lesion = map.containsKey("lesion_channel") ? (int) number(map.get("lesion_channel"), "lesion_channel") : 0;
    return new ModelCard(channels, preprocessing, patch, Output.parse(required(map, "output", String.class)),
        outputChannels, lesion);
  }

  private static <T> T required(Map<?, ?> map, String key, Class<T> type) {
    Object value = map.get(key);
    if (!type.isInstance(value)) {
      throw new IllegalArgumentException(key + " is " + (value == null ? "missing" : "not a " + type.getSimpleName().toLowerCase(Locale.ROOT)));
    }
    return type.cast(value);
  }

  private static double number(Object value, String key) {
    if (!(value instanceof Number n)) {
      throw new IllegalArgumentException(key + " must be a number, got " + value);
    }
    return n.doubleValue();
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelCard c && channels.equals(c.channels) && preprocessing.equals(c.preprocessing)
        && Arrays.equals(patchSize, c.patchSize) && output == c.output && outputChannels == c.outputChannels
        && lesionChannel == c.lesionChannel;
  }

  @Override
  public int hashCode() {
    return ((channels.hashCode() * 31 + preprocessing.hashCode()) * 31 + Arrays.hashCode(patchSize)) * 31
        + output.hashCode() + 7 * outputChannels + lesionChannel;
  }
}

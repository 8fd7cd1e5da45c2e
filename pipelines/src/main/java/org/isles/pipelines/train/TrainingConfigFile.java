package org.isles.pipelines.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import org.isles.model.inference.Precision;
import org.isles.model.training.TrainingConfig;

/**
 * Reads {@code configs/NAME.yaml}: snake_case keys, every key required except those added after
 * configs were in use ({@code precision}, default {@code auto}; {@code ema_decay}, default 0), so
 * configs written before them still read; unknown keys rejected.
 */
public final class TrainingConfigFile {
  private static final ObjectMapper YAML = YAMLMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
      .build();

  private static final Map<String, Object> OPTIONAL = Map.of("precision", Precision.AUTO.id(), "ema_decay", 0.0);

  private TrainingConfigFile() {}

  public static TrainingConfig read(Path file) {
    try {
      JsonNode tree = YAML.readTree(file.toFile());
      if (tree instanceof ObjectNode fields) {
        OPTIONAL.forEach((key, value) -> {
          if (!fields.has(key)) {
            fields.set(key, YAML.valueToTree(value));
          }
        });
      }
      return YAML.treeToValue(tree, TrainingConfig.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("training config " + file + ": " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read training config " + file + ": " + e.getMessage(), e);
    }
  }
}

package org.isles.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.isles.io.Json;
import org.isles.schemas.CaseRecord;

/**
 * The cases of one dataset root, as {@link CaseDiscovery} found them. Stored as JSON for people
 * ({@code .json}) or as an Avro container file of {@link CaseRecord}s for pipelines
 * ({@code .avro}, the root kept in the file's metadata). JSON fields follow the Avro schema, in
 * snake_case ({@code caseId} is {@code case_id}), so a field added to the schema is carried without
 * changes here; manifests with the schema's own spelling still read.
 */
public record Manifest(String root, List<CaseRecord> cases) {
  private static final String ROOT_METADATA = "isles.root";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public Manifest {
    cases = List.copyOf(cases);
  }

  /** Discovers the cases under {@code root}. */
  public static Manifest of(Path root) {
    return new Manifest(root.toAbsolutePath().normalize().toString(), CaseDiscovery.discover(root));
  }

  public long validCount() {
    return cases.stream().filter(CaseRecord::getValid).count();
  }

  public long invalidCount() {
    return cases.size() - validCount();
  }

  public List<CaseRecord> validCases() {
    return cases.stream().filter(CaseRecord::getValid).toList();
  }

  /** Writes JSON or Avro, chosen by the file name's extension. */
  public void write(Path file) {
    try {
      switch (Format.of(file)) {
        case JSON -> Files.writeString(file, toJson());
        case AVRO -> writeAvro(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write manifest " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads a manifest written by {@link #write}. */
  public static Manifest read(Path file) {
    try {
      return switch (Format.of(file)) {
        case JSON -> fromJson(Files.readString(file));
        case AVRO -> readAvro(file);
      };
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read manifest " + file + ": " + e.getMessage(), e);
    }
  }

  public String toJson() {
    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("root", root);
    manifest.put("valid_cases", validCount());
    manifest.put("invalid_cases", invalidCount());
    ArrayNode array = manifest.putArray("cases");
    for (CaseRecord record : cases) {
      ObjectNode node = array.addObject();
      for (Schema.Field field : CaseRecord.getClassSchema().getFields()) {
        node.set(Json.key(field.name()), JSON.valueToTree(record.get(field.pos())));
      }
    }
    try {
      return JSON.writeValueAsString(manifest);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses {@link #toJson}'s output; the counts in it are derived and ignored. */
  public static Manifest fromJson(String json) {
    JsonNode manifest;
    try {
      manifest = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("manifest is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (!manifest.path("cases").isArray()) {
      throw new IllegalArgumentException("manifest JSON has no \"cases\" array");
    }
    List<CaseRecord> cases = new ArrayList<>();
    for (JsonNode node : manifest.get("cases")) {
      CaseRecord record = new CaseRecord();
      for (Schema.Field field : CaseRecord.getClassSchema().getFields()) {
        // Manifests written before the snake_case rule spelled the fields as the schema does (caseId).
        JsonNode value = node.has(Json.key(field.name())) ? node.get(Json.key(field.name())) : node.get(field.name());
        record.put(field.pos(), value == null ? SpecificData.get().getDefaultValue(field) : fromJson(value, field.schema(), field.name()));
      }
      cases.add(record);
    }
    return new Manifest(manifest.path("root").asText(null), cases);
  }

  private static Object fromJson(JsonNode value, Schema schema, String field) {
    return switch (schema.getType()) {
      case NULL -> null;
      case UNION -> value.isNull() ? null : fromJson(value, nonNullBranch(schema, field), field);
      case STRING -> value.asText();
      case BOOLEAN -> value.asBoolean();
      case INT -> value.asInt();
      case LONG -> value.asLong();
      case FLOAT -> (float) value.asDouble();
      case DOUBLE -> value.asDouble();
      case ARRAY -> {
        List<Object> items = new ArrayList<>();
        value.forEach(item -> items.add(fromJson(item, schema.getElementType(), field)));
        yield items;
      }
      default -> throw new IllegalArgumentException("manifest field " + field + " has Avro type " + schema.getType()
          + ", which the JSON manifest does not carry");
    };
  }

  private static Schema nonNullBranch(Schema union, String field) {
    return union.getTypes().stream()
        .filter(branch -> branch.getType() != Schema.Type.NULL)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("manifest field " + field + " can only be null"));
  }

  private void writeAvro(Path file) throws IOException {
    try (DataFileWriter<CaseRecord> writer = new DataFileWriter<>(new SpecificDatumWriter<>(CaseRecord.class))) {
      if (root != null) {
        writer.setMeta(ROOT_METADATA, root);
      }
      writer.create(CaseRecord.getClassSchema(), file.toFile());
      for (CaseRecord record : cases) {
        writer.append(record);
      }
    }
  }

  private static Manifest readAvro(Path file) throws IOException {
    try (DataFileReader<CaseRecord> reader = new DataFileReader<>(file.toFile(), new SpecificDatumReader<>(CaseRecord.class))) {
      List<CaseRecord> cases = new ArrayList<>();
      reader.forEach(cases::add);
      byte[] root = reader.getMeta(ROOT_METADATA);
      return new Manifest(root == null ? null : new String(root, StandardCharsets.UTF_8), cases);
    }
  }

  private enum Format {
    JSON,
    AVRO;

    static Format of(Path file) {
      String name = file.getFileName().toString().toLowerCase();
      if (name.endsWith(".json")) {
        return JSON;
      }
      if (name.endsWith(".avro")) {
        return AVRO;
      }
      throw new IllegalArgumentException("manifest file " + file + " must end in .json or .avro");
    }
  }
}

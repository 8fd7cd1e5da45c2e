package org.isles.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyName;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.AnnotatedField;
import com.fasterxml.jackson.databind.introspect.AnnotatedMethod;
import com.fasterxml.jackson.databind.introspect.AnnotatedParameter;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One configured Jackson mapper for every JSON file the product writes or reads. Its one naming
 * rule is snake_case: a record component {@code epochsDone} is the key {@code epochs_done}. Files
 * written before that rule spelled such keys in camelCase ({@code epochsDone}); the mapper still
 * reads them, since every property also answers to its Java name ({@link LegacyCamelCase}).
 */
public final class Json {
  private static final PropertyNamingStrategies.NamingBase SNAKE_CASE =
      (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;
  public static final ObjectMapper MAPPER =
      new ObjectMapper()
          .setPropertyNamingStrategy(SNAKE_CASE)
          .setAnnotationIntrospector(new LegacyCamelCase())
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private Json() {}

  /**
   * The key the naming rule gives a Java name ({@code caseId} -> {@code case_id}), for JSON built
   * from names the mapper does not see, such as an Avro schema's fields.
   */
  public static String key(String javaName) {
    return SNAKE_CASE.translate(javaName);
  }

  public static String toString(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write JSON: " + e.getMessage(), e);
    }
  }

  /** Writes {@code value} as indented JSON, atomically. */
  public static void write(Path file, Object value) {
    AtomicFiles.write(file, out -> MAPPER.writeValue(out, value));
  }

  public static <T> T read(Path file, Class<T> type) {
    try {
      return MAPPER.readValue(file.toFile(), type);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read JSON " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reading only: every property also accepts its Java name as an alias, so {@code epochsDone}
   * (the spelling of files written before the snake_case rule) reads as {@code epochs_done}.
   * Map keys (case ids, model ids) are data and are never renamed either way.
   */
  static final class LegacyCamelCase extends JacksonAnnotationIntrospector {
    @Override
    public List<PropertyName> findPropertyAliases(Annotated member) {
      List<PropertyName> declared = super.findPropertyAliases(member);
      String javaName = javaName(member);
      if (javaName == null || javaName.equals(javaName.toLowerCase(java.util.Locale.ROOT))) {
        return declared;
      }
      List<PropertyName> aliases = new ArrayList<>(declared == null ? List.of() : declared);
      aliases.add(PropertyName.construct(javaName));
      return aliases;
    }

    /** The record component, field or setter name behind a property; null when there is none to tell. */
    private static String javaName(Annotated member) {
      if (member instanceof AnnotatedField field) {
        return field.getName();
      }
      if (member instanceof AnnotatedParameter parameter) {
        Class<?> owner = parameter.getDeclaringClass();
        RecordComponent[] components = owner.isRecord() ? owner.getRecordComponents() : null;
        boolean canonical = components != null && parameter.getOwner().getParameterCount() == components.length;
        return canonical ? components[parameter.getIndex()].getName() : null;
      }
      if (member instanceof AnnotatedMethod method && method.getName().startsWith("set") && method.getParameterCount() == 1
          && method.getName().length() > 3) {
        String name = method.getName().substring(3);
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
      }
      return null;
    }
  }
}

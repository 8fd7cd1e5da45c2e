package org.isles.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every command accepts the flags it accepted before the shared option groups became mixins: the
 * same names, arity, type, required-ness, list separator and default, one line per option, sorted
 * (a mixin's options show together in the help), against cli-options.txt, captured from the
 * commands before the change: users' scripts rely on it. A new flag adds its line there.
 */
class CommandOptionsTest {
  @Test
  void everyCommandKeepsItsFlagsAndDefaults() throws IOException {
    String actual = String.join("\n", describe(new CommandLine(new IslesCli()).getCommandSpec()).stream().sorted().toList()) + "\n";
    Files.writeString(Files.createDirectories(Path.of("target")).resolve("cli-options.actual.txt"), actual); // to diff on failure
    assertEquals(expected(), actual);
  }

  /** One line per option of {@code spec} and its subcommands. */
  static List<String> describe(CommandSpec spec) {
    List<String> lines = new ArrayList<>();
    for (OptionSpec option : spec.options()) {
      lines.add(String.format("%s %s arity=%s type=%s required=%s split=%s default=%s", spec.qualifiedName(),
          String.join("|", option.names()), option.arity(), option.type().getSimpleName(), option.required(),
          option.splitRegex(), option.defaultValueString()));
    }
    spec.subcommands().values().stream().map(CommandLine::getCommandSpec).distinct().forEach(sub -> lines.addAll(describe(sub)));
    return lines;
  }

  private static String expected() throws IOException {
    try (InputStream in = CommandOptionsTest.class.getResourceAsStream("cli-options.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}

package org.isles.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the model benchmarks share: their "--flag value" arguments and readings of this Linux process. */
final class BenchmarkMachine {
  private BenchmarkMachine() {}

  /** "--flag value" pairs. */
  static Map<String, String> options(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i], args[i + 1]);
    }
    return options;
  }

  /** A comma-separated list of integers, e.g. the value of {@code --batches 1,2,16}. */
  static List<Integer> integers(String commaSeparated) {
    return Arrays.stream(commaSeparated.split(",")).map(String::trim).map(Integer::valueOf).toList();
  }

  /** The 1-minute load average, as /proc/loadavg writes it. */
  static String loadAverage() {
    return read(Path.of("/proc/loadavg")).split(" ")[0];
  }

  /** This process's resident memory in kB. */
  static long residentKilobytes() {
    for (String line : read(Path.of("/proc/self/status")).split("\n")) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}

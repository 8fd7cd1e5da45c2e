package org.isles.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "The main job on built-in synthetic data: isles synth, then preprocess and report.")
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--out", defaultValue = "demo", description = "Working directory (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--cases", defaultValue = "24", description = "Synthetic cases (default: ${DEFAULT-VALUE}).")
  int cases;

  @Option(names = "--seed", defaultValue = "2022", description = "Seed of the synthetic data (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() {
    Path data = out.resolve("data");
    if (!Files.isDirectory(data.resolve("rawdata"))) {
      requireSuccess("synth", "--out", data.toString(), "--cases", "" + cases, "--seed", "" + seed);
    }
    requireSuccess("preprocess", "--input", data.toString(), "--out", out.resolve("processed").toString(), "--spacing", "2,2,2");
    requireSuccess("report", "--input", data.toString(), "--out", out.resolve("dataset_report.json").toString());
    System.out.println("demo finished: " + out.toAbsolutePath());
    return 0;
  }

  private static void requireSuccess(String... command) {
    int exit = IslesCli.execute(command);
    if (exit != 0) {
      throw new IllegalStateException("stage '" + command[0] + "' failed with exit status " + exit);
    }
  }
}

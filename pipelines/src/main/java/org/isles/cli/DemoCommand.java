package org.isles.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.isles.dataset.BidsLayout;
import org.isles.io.AtomicFiles;
import org.isles.model.inference.TestTimeAugmentation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "The main job on built-in synthetic data: isles synth, then isles run --config cpu-demo",
      "(preprocess, split, train, ensemble predict, evaluate, analyze, report)."
    })
final class DemoCommand implements Callable<Integer> {
  static final String DEMO_CONFIG = "cpu-demo.yaml";

  @Option(names = "--out", defaultValue = "demo", description = "Working directory (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--cases", defaultValue = "96", description = "Synthetic cases (default: ${DEFAULT-VALUE}; fewer leave fold 0 fewer"
      + " out-of-fold cases to choose the threshold and post-processing on).")
  int cases;

  @Option(names = "--seed", defaultValue = "2022", description = "Seed of the synthetic data (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--folds", defaultValue = "0", description = "Folds to train (default: ${DEFAULT-VALUE}; one model fits the demo's 15 minutes on 2 cores).")
  String folds;

  @Option(names = "--config", description = "Run configuration (default: the bundled configs/" + DEMO_CONFIG + ").")
  Path config;

  /**
   * Flip, as isles run: full (8 mirrorings) scored a little higher on the hard development sets but
   * costs the demo nearly two minutes of its 15 on the slower 2-core machines (docs/BENCHMARKS.md,
   * "Full mirroring at prediction").
   */
  @Mixin InferenceMixin inference = new InferenceMixin(TestTimeAugmentation.FLIP);

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    OptionChecks.of(spec).outputDirectory("--out", out).atLeast("--cases", cases, 1).inference(inference);
    Path data = out.resolve("data");
    if (!Files.isDirectory(data.resolve(BidsLayout.RAWDATA))) {
      requireSuccess("synth", "--out", data.toString(), "--cases", "" + cases, "--seed", "" + seed);
    }
    Path runConfig = config != null ? config : bundledConfig();
    return IslesCli.execute(runArguments(data, runConfig).toArray(String[]::new));
  }

  /** The isles run command line the demo hands on. */
  List<String> runArguments(Path data, Path runConfig) {
    return List.of("run", "--config", runConfig.toString(), "--input", data.toString(), "--out", out.resolve("run").toString(),
        "--folds", folds, "--tta", inference.tta);
  }

  /** The jar carries configs/ so the demo works from any directory. */
  private Path bundledConfig() {
    Path copy = out.resolve(DEMO_CONFIG);
    try (InputStream in = DemoCommand.class.getResourceAsStream("/configs/" + DEMO_CONFIG)) {
      if (in == null) {
        throw new IllegalStateException("configs/" + DEMO_CONFIG + " is not bundled in this build");
      }
      byte[] yaml = in.readAllBytes();
      AtomicFiles.writeBytes(copy, yaml);
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the bundled " + DEMO_CONFIG + ": " + e.getMessage(), e);
    }
  }

  private static void requireSuccess(String... command) {
    int exit = IslesCli.execute(command);
    if (exit != 0) {
      throw new IllegalStateException("stage '" + command[0] + "' failed with exit status " + exit);
    }
  }
}

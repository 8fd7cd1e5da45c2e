package org.isles.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.isles.synth.SynthProfile;
import org.isles.synth.SyntheticDataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code isles synth}: writes a synthetic ISLES 2022-like dataset to try the pipelines on. */
@Command(
    name = "synth",
    mixinStandardHelpOptions = true,
    description = "Write a synthetic ISLES 2022-like dataset (DWI, ADC, FLAIR, lesion masks) in the BIDS layout.")
public final class SynthCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--out", required = true, description = "Dataset root to write rawdata/ and derivatives/ into.")
  Path out;

  @Option(names = "--cases", defaultValue = "24", description = "Number of cases (default: ${DEFAULT-VALUE}).")
  int cases;

  @Option(names = "--seed", defaultValue = "2022", description = "Random seed; a seed always gives the same files (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--size",
      defaultValue = "" + SyntheticDataset.DEFAULT_SIZE,
      description = "Head size relative to an adult's; 1.0 gives realistic matrices (~180x220x150 mm field of view), "
          + "smaller is faster (default: ${DEFAULT-VALUE}).")
  double size;

  @Option(names = "--profile", defaultValue = "default",
      description = {"default, or hard: wider partial-volume lesion edges, lower lesion contrast, per-site intensity scaling",
          "and stronger bias fields, more and subtler DWI-bright mimics, noisier images (thick slices most)."})
  String profile;

  private int shown;

  @Override
  public Integer call() throws IOException {
    OptionChecks.of(spec).outputDirectory("--out", out).atLeast("--cases", cases, 1);
    SyntheticDataset dataset = new SyntheticDataset(seed, size, SynthProfile.parse(profile));
    // cases left from an earlier, larger run would join this dataset unnoticed
    if (Files.isDirectory(out)) {
      try (Stream<Path> entries = Files.list(out)) {
        if (entries.findAny().isPresent()) {
          throw new IllegalArgumentException("output folder " + out + " is not empty; choose a new folder or empty it first");
        }
      }
    }
    PrintWriter err = spec.commandLine().getErr();
    dataset.write(out, cases, done -> showProgress(err, done));
    err.println();
    spec.commandLine().getOut().println("wrote " + cases + " synthetic cases to " + out.toAbsolutePath().normalize());
    return 0;
  }

  /** Cases finish on several threads; the line only ever counts up. */
  private synchronized void showProgress(PrintWriter err, int done) {
    if (done > shown) {
      shown = done;
      err.print("\rsynth: " + done + "/" + cases + " cases");
      err.flush();
    }
  }
}

package org.isles.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.isles.dataset.Manifest;
import org.isles.schemas.CaseRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code isles manifest}: lists a dataset's cases, valid or not, for people (JSON) or pipelines (Avro). */
@Command(
    name = "manifest",
    mixinStandardHelpOptions = true,
    description = "Find the cases of an ISLES 2022 dataset root and write them as JSON (.json) or an Avro file (.avro).")
public final class ManifestCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--input", required = true, description = "Dataset root holding rawdata/ and derivatives/.")
  Path input;

  @Option(names = "--out", required = true, description = "Manifest file: .json or .avro.")
  Path out;

  @Override
  public Integer call() {
    OptionChecks.of(spec).outputFile("--out", out);
    Manifest manifest = Manifest.of(input);
    Path parent = out.toAbsolutePath().getParent();
    try {
      Files.createDirectories(parent);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create directory " + parent + ": " + e.getMessage(), e);
    }
    manifest.write(out);
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.println(manifest.cases().size() + " cases: " + manifest.validCount() + " valid, "
        + manifest.invalidCount() + " invalid; manifest written to " + out);
    for (CaseRecord record : manifest.cases()) {
      if (!record.getValid()) {
        stdout.println("invalid " + record.getCaseId() + ": " + record.getInvalidReason());
      }
    }
    return 0;
  }
}

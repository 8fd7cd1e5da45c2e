package org.isles.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.isles.nifti.Nifti;
import org.isles.preprocess.CasePreprocessor;
import org.isles.sampling.TrainingCase;
import org.isles.schemas.ProcessedCase;
import org.isles.volume.Volume;

/** Reads what {@link CasePreprocessor} wrote under a processed-data root, one directory per case. */
public final class ProcessedCases {
  private ProcessedCases() {}

  /** Every case record under {@code root}, sorted by id. */
  public static List<ProcessedCase> records(Path root) {
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException("processed-data directory " + root + " does not exist");
    }
    List<ProcessedCase> records = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path dir : dirs.filter(d -> Files.isRegularFile(d.resolve(CasePreprocessor.CASE_AVRO))).toList()) {
        records.add(CasePreprocessor.readRecord(dir));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
    }
    if (records.isEmpty()) {
      throw new IllegalArgumentException("no preprocessed cases (*/" + CasePreprocessor.CASE_AVRO + ") in " + root);
    }
    records.sort(Comparator.comparing(ProcessedCase::getCaseId));
    return records;
  }

  /** A case's image channels (in the record's order) and lesion mask, ready for patch sampling. */
  public static TrainingCase trainingCase(Path root, ProcessedCase record) {
    Path dir = root.resolve(record.getCaseId());
    List<Volume> channels = new ArrayList<>();
    for (String channel : record.getChannels()) {
      channels.add(Nifti.readVolume(dir.resolve(CasePreprocessor.channelFile(channel))));
    }
    return new TrainingCase(record.getCaseId(), channels, Nifti.readVolume(dir.resolve(CasePreprocessor.MASK_FILE)));
  }
}

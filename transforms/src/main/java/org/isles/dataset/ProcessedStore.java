package org.isles.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.isles.io.AtomicFiles;
import org.isles.io.Json;
import org.isles.nifti.Nifti;
import org.isles.nifti.NiftiDatatype;
import org.isles.sampling.TrainingCase;
import org.isles.schemas.ProcessedCase;
import org.isles.volume.Volume;

/**
 * A processed-data folder, the one owner of its layout: one directory per case,
 *
 * <pre>
 * ROOT/CASE/dwi.nii.gz, adc.nii.gz[, flair.nii.gz]   the channels (float32), named after the record's channels
 * ROOT/CASE/mask.nii.gz                              the lesion mask (uint8)
 * ROOT/CASE/case.avro                                the {@link ProcessedCase} record that maps a prediction back
 * ROOT/CASE/case.json                                the record for people, with the preprocessing settings; written last
 * </pre>
 *
 * The preprocessing writes a case through {@link #write} and training, splitting and resuming read
 * it back here.
 */
public record ProcessedStore(Path root) {
  public static final String CASE_JSON = "case.json";
  public static final String CASE_AVRO = "case.avro";
  public static final String MASK = "mask.nii.gz";
  private static final String NIFTI = ".nii.gz";

  public Path caseDir(String caseId) {
    return root.resolve(caseId);
  }

  /** The file a channel is written to, e.g. {@code CASE/dwi.nii.gz}. */
  public Path channel(String caseId, String channel) {
    return caseDir(caseId).resolve(channel + NIFTI);
  }

  public Path mask(String caseId) {
    return caseDir(caseId).resolve(MASK);
  }

  public Path caseAvro(String caseId) {
    return caseDir(caseId).resolve(CASE_AVRO);
  }

  public Path caseJson(String caseId) {
    return caseDir(caseId).resolve(CASE_JSON);
  }

  /** Whether the case was written whole: case.json is its last file. */
  public boolean isComplete(String caseId) {
    return Files.isRegularFile(caseJson(caseId));
  }

  /**
   * Writes a case: its channels (in the record's channel order), its mask, the record, and last
   * {@code caseJson} (the record as people read it, built by the preprocessing).
   */
  public void write(ProcessedCase record, List<Volume> channels, Volume mask, Map<String, Object> caseJson) {
    String caseId = record.getCaseId();
    for (int c = 0; c < channels.size(); c++) {
      Nifti.write(channel(caseId, record.getChannels().get(c)), channels.get(c), NiftiDatatype.FLOAT32);
    }
    Nifti.write(mask(caseId), mask, NiftiDatatype.UINT8);
    AtomicFiles.write(
        caseAvro(caseId),
        out -> {
          try (DataFileWriter<ProcessedCase> writer = new DataFileWriter<>(new SpecificDatumWriter<>(ProcessedCase.class))) {
            // A sync marker derived from the case keeps the file byte-identical across runs and runners.
            writer.create(ProcessedCase.getClassSchema(), out, syncMarker(caseId));
            writer.append(record);
          }
        });
    Json.write(caseJson(caseId), caseJson);
  }

  /** The record {@link #write} wrote. */
  public ProcessedCase record(String caseId) {
    return readRecord(caseAvro(caseId));
  }

  /** A case's case.json, as a map; one line naming the file when it is missing. */
  public Map<?, ?> caseJsonOf(String caseId) {
    Path file = caseJson(caseId);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("not a preprocessed case: " + file + " is missing");
    }
    return Json.read(file, Map.class);
  }

  /** Every case record under the root, sorted by id. */
  public List<ProcessedCase> records() {
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException("processed-data directory " + root + " does not exist");
    }
    List<ProcessedCase> records = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path dir : dirs.filter(d -> Files.isRegularFile(d.resolve(CASE_AVRO))).toList()) {
        records.add(readRecord(dir.resolve(CASE_AVRO)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
    }
    if (records.isEmpty()) {
      throw new IllegalArgumentException("no preprocessed cases (*/" + CASE_AVRO + ") in " + root);
    }
    records.sort(Comparator.comparing(ProcessedCase::getCaseId));
    return records;
  }

  /** A case's image channels (in the record's order) and lesion mask, ready for patch sampling. */
  public TrainingCase trainingCase(ProcessedCase record) {
    String caseId = record.getCaseId();
    List<Volume> channels = new ArrayList<>();
    for (String channel : record.getChannels()) {
      channels.add(Nifti.readVolume(channel(caseId, channel)));
    }
    return new TrainingCase(caseId, channels, Nifti.readVolume(mask(caseId)));
  }

  private static ProcessedCase readRecord(Path file) {
    try (var reader = new DataFileReader<>(file.toFile(), new SpecificDatumReader<>(ProcessedCase.class))) {
      return reader.next();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static byte[] syncMarker(String caseId) {
    try {
      return MessageDigest.getInstance("MD5").digest(caseId.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is part of every Java platform", e);
    }
  }
}

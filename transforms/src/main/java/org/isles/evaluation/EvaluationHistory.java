package org.isles.evaluation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.isles.io.CsvTable;
import org.isles.io.Json;
import org.isles.schemas.CaseEvaluation;

/**
 * The history file of scheduled evaluations: one CSV row per evaluation, appended by
 * {@code isles evaluate --history} and {@code isles run --history}, drawn by {@code isles history}.
 * Fingerprints are the first 16 hex digits of SHA-256.
 */
public final class EvaluationHistory {
  public static final List<String> COLUMNS = List.of(
      "time", "eval_dir", "run_name", "model_fingerprints", "dataset_fingerprint", "rules", "threshold", "n_cases",
      "mean_dice", "lesion_f1", "avd_ml", "ald", "hd95", "ece");
  /** The metric columns, in the order of {@link ComparedMetric} (ece aside). */
  public static final List<String> METRICS = List.of("mean_dice", "lesion_f1", "avd_ml", "ald", "hd95", "ece");
  private static final int FINGERPRINT_HEX = 16;

  private EvaluationHistory() {}

  /**
   * Appends the evaluation in {@code evalDir} to {@code csv} (created with its header when absent).
   *
   * @param modelFingerprints model id to the fingerprint of its weights; empty when unknown
   */
  public static void append(Path csv, Path evalDir, String runName, Map<String, String> modelFingerprints) {
    Summary summary = Summary.read(evalDir);
    List<CaseEvaluation> cases = EvaluationFiles.readCases(evalDir);
    List<List<Object>> rows = new ArrayList<>();
    if (Files.exists(csv)) {
      CsvTable table = CsvTable.read(csv);
      if (!table.header().equals(COLUMNS)) {
        throw new IllegalArgumentException("history file " + csv + " has the columns " + table.header() + ", not " + COLUMNS);
      }
      table.rows().forEach(row -> rows.add(new ArrayList<>(row)));
    }
    Summary.Isles22 isles22 = summary.isles22();
    List<String> models = modelFingerprints.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    rows.add(List.of(
        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
        evalDir.toAbsolutePath().normalize().toString(),
        runName,
        models.isEmpty() ? "unknown" : String.join(" ", models),
        datasetFingerprint(cases),
        rules(summary.rules()),
        value(summary.bestThresholdByMeanDice()),
        summary.nCases() == null ? 0 : summary.nCases(),
        value(summary.meanDice()),
        value(isles22 == null ? null : isles22.lesionF1().mean()),
        value(isles22 == null ? null : isles22.absoluteVolumeDifferenceMl().mean()),
        value(isles22 == null ? null : isles22.absoluteLesionCountDifference().mean()),
        value(summary.extraMetricsBest() == null ? null : summary.extraMetricsBest().boundaryDistanceMm().hd95()),
        value(summary.calibration() == null ? null : summary.calibration().pooled().ece())));
    CsvTable.write(csv, COLUMNS, rows);
  }

  /** SHA-256 over the sorted case ids and the bytes of each case's ground-truth file. */
  public static String datasetFingerprint(List<CaseEvaluation> cases) {
    MessageDigest digest = sha256();
    cases.stream().sorted(java.util.Comparator.comparing(CaseEvaluation::getCaseId)).forEach(c -> {
      digest.update((c.getCaseId() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      update(digest, Path.of(c.getGroundTruthPath()));
    });
    return hex(digest);
  }

  /** SHA-256 of a file's bytes, e.g. a model's weights. */
  public static String fileFingerprint(Path file) {
    MessageDigest digest = sha256();
    update(digest, file);
    return hex(digest);
  }

  private static String rules(Summary.Rules rules) {
    Summary.PostProcessing post = rules.postProcessing();
    double[] thresholds = rules.thresholds();
    return "empty_gt=" + rules.emptyGt() + " min_size=" + post.minSizeVoxels() + " top_k=" + post.topK() + " cc_score=" + post.ccScore()
        + " thresholds=" + thresholds[0] + ".." + thresholds[thresholds.length - 1] + "(" + thresholds.length + ")";
  }

  private static double value(Double number) {
    return number == null ? Double.NaN : number;
  }

  private static void update(MessageDigest digest, Path file) {
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + " for its fingerprint: " + e.getMessage(), e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(MessageDigest digest) {
    return HexFormat.of().formatHex(digest.digest()).substring(0, FINGERPRINT_HEX);
  }
}

package org.isles.evaluation;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.isles.io.AtomicFiles;
import org.isles.io.CsvTable;
import org.isles.io.Json;
import org.isles.metrics.CalibrationBins;
import org.isles.metrics.CaseMetrics;
import org.isles.schemas.CaseEvaluation;

/**
 * The files of an evaluation directory: summary.json (the official result), metrics.json (every
 * case at every threshold), cases.csv (every case at the best threshold) and cases.avro (the
 * per-case records, for machines and for {@code isles analyze}), and reliability.png when the
 * predictions have calibration counts. Each is written atomically.
 */
public final class EvaluationFiles {
  public static final String SUMMARY = "summary.json";
  public static final String METRICS = "metrics.json";
  public static final String CASES_CSV = "cases.csv";
  public static final String CASES_AVRO = "cases.avro";

  private EvaluationFiles() {}

  /** Writes all four files; the summary last, so its presence means the others are complete. */
  public static void write(
      Path dir, List<CaseEvaluation> evaluations, EvaluationRules rules, List<String> missingPredictions, List<String> failedCases) {
    write(dir, evaluations, rules, missingPredictions, failedCases, null, List.of());
  }

  /**
   * The same, and with {@code selected} (settings chosen on validation cases) the summary leads
   * with their selected_on_validation block.
   *
   * @param atSelected the cases scored at the selected settings (ignored without them)
   */
  public static void write(Path dir, List<CaseEvaluation> evaluations, EvaluationRules rules, List<String> missingPredictions,
      List<String> failedCases, SelectedSettings selected, List<CaseEvaluation> atSelected) {
    List<CaseEvaluation> cases = sorted(evaluations);
    EvaluationSummary summary = new EvaluationSummary(cases, rules);
    int best = summary.bestThresholdIndex();
    writeAvro(dir.resolve(CASES_AVRO), cases);
    Json.write(dir.resolve(METRICS), cases.stream().map(EvaluationFiles::metricsJson).toList());
    CsvTable.write(dir.resolve(CASES_CSV), CaseTable.COLUMNS, cases.stream().map(c -> CaseTable.row(c, best, rules)).toList());
    Summary.Calibration calibration = CalibrationSummary.toJson(cases);
    if (calibration != null) {
      CalibrationSummary.writeDiagram(dir.resolve(CalibrationSummary.DIAGRAM), cases);
    }
    Summary.SelectedOnValidation atSettings =
        selected != null && summary.refusal(missingPredictions) == null ? summary.selectedOnValidation(selected, sorted(atSelected)) : null;
    summary.toJson(missingPredictions, failedCases, calibration, atSettings).write(dir);
  }

  public static List<CaseEvaluation> readCases(Path dir) {
    Path file = dir.resolve(CASES_AVRO);
    List<CaseEvaluation> cases = new ArrayList<>();
    try (DataFileReader<CaseEvaluation> reader = new DataFileReader<>(file.toFile(), new SpecificDatumReader<>(CaseEvaluation.class))) {
      reader.forEach(cases::add);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return cases;
  }

  /**
   * One case of metrics.json: its files, how its prediction counted, and every threshold.
   *
   * @param perThreshold {@link CaseMetrics#toMap} at each threshold of the sweep
   * @param calibration absent without a prediction to calibrate
   */
  record CaseJson(String caseId, String groundTruth, String prediction, boolean predictionMissing, String predictionError,
      double sliceThicknessMm, double voxelVolumeMl, List<Map<String, Object>> perThreshold,
      @JsonInclude(JsonInclude.Include.NON_NULL) CaseCalibration calibration) {}

  /** A case's calibration in metrics.json: its ECE (null when undefined), the voxels counted and its bins. */
  record CaseCalibration(Double ece, String region, List<CalibrationBins.Bin> reliability) {}

  private static CaseJson metricsJson(CaseEvaluation evaluation) {
    CaseCalibration calibration = null;
    if (evaluation.getCalibration() != null) {
      CalibrationBins bins = CalibrationSummary.bins(evaluation.getCalibration());
      calibration = new CaseCalibration(Summary.number(bins.ece()), evaluation.getCalibration().getRegion(), bins.reliability());
    }
    return new CaseJson(evaluation.getCaseId(), evaluation.getGroundTruthPath(), evaluation.getPredictionPath(),
        evaluation.getPredictionPath() == null, evaluation.getPredictionError(), evaluation.getSliceThicknessMm(),
        evaluation.getVoxelVolumeMl(), EvaluationRecords.metrics(evaluation).stream().map(CaseMetrics::toMap).toList(), calibration);
  }

  private static void writeAvro(Path file, List<CaseEvaluation> cases) {
    AtomicFiles.write(file, out -> {
      try (DataFileWriter<CaseEvaluation> writer = new DataFileWriter<>(new SpecificDatumWriter<>(CaseEvaluation.class))) {
        writer.create(CaseEvaluation.getClassSchema(), out);
        for (CaseEvaluation evaluation : cases) {
          writer.append(evaluation);
        }
      }
    });
  }

  private static List<CaseEvaluation> sorted(List<CaseEvaluation> evaluations) {
    return evaluations.stream().sorted(Comparator.comparing(CaseEvaluation::getCaseId)).toList();
  }
}

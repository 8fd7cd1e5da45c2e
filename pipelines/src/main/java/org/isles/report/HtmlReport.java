package org.isles.report;

import org.isles.volume.Grid;
import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.isles.dataset.CaseDiscovery;
import org.isles.evaluation.CalibrationSummary;
import org.isles.evaluation.ComparedMetric;
import org.isles.evaluation.ComparisonFiles;
import org.isles.evaluation.Summary;
import org.isles.io.AtomicFiles;
import org.isles.io.CsvTable;
import org.isles.io.Json;
import org.isles.nifti.Nifti;
import org.isles.pipelines.RunCommandRecord;
import org.isles.pipelines.RunLayout;
import org.isles.plot.Chart;
import org.isles.postprocess.PostProcessor;
import org.isles.schemas.CaseRecord;
import org.isles.volume.Volume;

/**
 * The report of a run directory DIR as one HTML file whose images are inline (base64 data URIs),
 * so the file alone can be mailed. Every input is optional: a part that is missing or unreadable
 * is replaced by a note in the page, and the notes are returned.
 *
 * <p>Inputs, as {@code isles evaluate} and {@code isles run} write them (the names are {@link
 * RunLayout}'s):
 *
 * <ul>
 *   <li>{@code DIR/eval/summary.json}: {@code mean_dice}, {@code best_threshold_by_mean_dice},
 *       {@code n_cases*}, {@code extra_metrics_best} (volume_diff_ml, lesion_count_diff,
 *       lesionwise, boundary_distance_mm, mean_fp_cc), {@code isles22} (mean and std of dice,
 *       absolute_volume_difference_ml, absolute_lesion_count_difference, lesion_f1),
 *       {@code per_threshold[]} (threshold, mean_dice, voxel_precision, voxel_recall,
 *       detection_rate_case, false_alarm_rate_case, n_cases), {@code missing_predictions},
 *       {@code broken_predictions}, {@code failed_cases}, {@code mean_refused} and {@code rules}.
 *       When present, {@code selected_on_validation} (settings chosen on out-of-fold validation
 *       cases and the test metrics at them) leads the page, before best_all. Undefined numbers
 *       are null and shown as n/a.
 *   <li>{@code DIR/eval/cases.csv}: one row per case at the best threshold; every column is
 *       shown, and {@code case_id} with {@code dice} pick the best and worst cases among those
 *       with a lesion ({@code gt_lesions} not 0: an empty ground truth has nothing to outline).
 *   <li>{@code DIR/runs/**} and {@code DIR/train/**}: training curves, any {@code *curve*.png}.
 *   <li>{@code DIR/run.json}: {@code {"input": ROOT}}, the ISLES 2022 root whose DWI and
 *       ground truth {@link CaseDiscovery} finds (a relative ROOT is tried as given, then under
 *       DIR).
 *   <li>{@code DIR/predictions/masks/<case_id>.nii.gz} (the predicted mask) or, without it,
 *       {@code DIR/predictions/<case_id>.nii.gz} (the probability map, binarized at the best
 *       threshold), on the DWI grid.
 * </ul>
 *
 * <p>The {@link #BEST_AND_WORST} best and worst cases by Dice get an {@link Overlay}. The PNGs are
 * also written beside the page, in {@code <page name>_files/}.
 */
public final class HtmlReport {
  public static final int BEST_AND_WORST = 3;
  private static final List<String> SWEEP_COLUMNS =
      List.of("threshold", "mean_dice", "voxel_precision", "voxel_recall", "detection_rate_case", "false_alarm_rate_case", "n_cases");
  private static final String[] NIFTI_SUFFIXES = {".nii.gz", ".nii"};

  private final Path runDir;
  private final RunLayout layout;
  /** The files' names as the notes show them, relative to the run directory. */
  private final String summaryName;
  private final String casesName;
  private final Path imageDir;
  private final HtmlPage page;
  private final List<String> notes = new ArrayList<>();
  private Summary summary;
  private CsvTable cases;

  private HtmlReport(Path runDir, Path out) {
    this.runDir = runDir;
    this.layout = new RunLayout(runDir);
    this.summaryName = relative(layout.summary());
    this.casesName = relative(layout.cases());
    String name = out.getFileName().toString();
    this.imageDir = out.toAbsolutePath().getParent().resolve(name.replaceFirst("\\.html?$", "") + "_files");
    this.page = new HtmlPage("ISLES run report: " + runDir.toAbsolutePath().normalize().getFileName());
  }

  /** Writes the report of {@code runDir} to {@code out} and returns the notes of what is missing. */
  public static List<String> write(Path runDir, Path out) {
    if (!Files.isDirectory(runDir)) {
      throw new IllegalArgumentException("run directory " + runDir + " is not a directory");
    }
    HtmlReport report = new HtmlReport(runDir, out);
    report.page.paragraph("Run directory: " + runDir.toAbsolutePath().normalize());
    report.part("Summary", report::summary);
    report.part("Comparison with a previous evaluation", report::comparison);
    report.part("Threshold sweep", report::thresholdSweep);
    report.part("Calibration", report::calibration);
    report.part("Training curves", report::trainingCurves);
    report.part("Cases", report::caseTable);
    report.part("Best and worst cases", report::overlays);
    AtomicFiles.writeBytes(out, report.page.render().getBytes(StandardCharsets.UTF_8));
    return List.copyOf(report.notes);
  }

  private void part(String heading, Runnable content) {
    page.section(heading);
    try {
      content.run();
    } catch (RuntimeException e) {
      note(heading + " not shown: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
    }
  }

  private void note(String text) {
    notes.add(text);
    page.note(text);
  }

  /** The selected_on_validation block: settings chosen without the test cases, and the test metrics at them. */
  private void selectedOnValidation() {
    Summary.SelectedOnValidation selected = summary.selectedOnValidation();
    page.paragraph("Chosen on validation, applied to the test set. Threshold and post-processing chosen on " + text(selected.nCasesChosenOn())
        + " validation cases (" + text(selected.chosenOn()) + ") and applied unchanged to the "
        + text(selected.nCases()) + " test cases: the result to report.");
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("Threshold", text(selected.threshold())));
    rows.add(List.of("Post-processing", selected.postProcessing() == null ? "n/a" : selected.postProcessing().options().description()));
    rows.add(List.of("Mean Dice on the validation cases", text(selected.validationMeanDice())));
    rows.add(List.of("Mean Dice on the test cases", text(selected.meanDice())));
    rows.add(List.of("Voxel precision", text(selected.voxelPrecision())));
    rows.add(List.of("Voxel recall", text(selected.voxelRecall())));
    rows.addAll(metricRows(selected.extraMetrics()));
    page.table(List.of("Metric (selected on validation)", "Value"), rows, 3);
    page.paragraph("Selection rule: " + text(selected.rule()));
  }

  private static List<List<String>> metricRows(Summary.ExtraMetrics metrics) {
    Summary.MeanAndMeanAbs volume = of(metrics, Summary.ExtraMetrics::volumeDiffMl);
    Summary.MeanAndMeanAbs count = of(metrics, Summary.ExtraMetrics::lesionCountDiff);
    Summary.Lesionwise lesions = of(metrics, Summary.ExtraMetrics::lesionwise);
    Summary.BoundaryDistance distances = of(metrics, Summary.ExtraMetrics::boundaryDistanceMm);
    return List.of(
        List.of("Volume difference (mL), mean", text(of(volume, Summary.MeanAndMeanAbs::mean))),
        List.of("Volume difference (mL), mean absolute", text(of(volume, Summary.MeanAndMeanAbs::meanAbs))),
        List.of("Lesion count difference, mean", text(of(count, Summary.MeanAndMeanAbs::mean))),
        List.of("Lesion count difference, mean absolute", text(of(count, Summary.MeanAndMeanAbs::meanAbs))),
        List.of("Lesion-wise precision (micro)", text(of(lesions, Summary.Lesionwise::precisionMicro))),
        List.of("Lesion-wise recall (micro)", text(of(lesions, Summary.Lesionwise::recallMicro))),
        List.of("Lesion-wise F1 (micro)", text(of(lesions, Summary.Lesionwise::f1Micro))),
        List.of("Lesion-wise F1 (mean over cases)", text(of(lesions, Summary.Lesionwise::f1Mean))),
        List.of("ASSD (mm)", text(of(distances, Summary.BoundaryDistance::assd))),
        List.of("Hausdorff distance (mm)", text(of(distances, Summary.BoundaryDistance::hd))),
        List.of("HD95 (mm)", text(of(distances, Summary.BoundaryDistance::hd95))),
        List.of("False-positive components per case", text(of(metrics, Summary.ExtraMetrics::meanFpCc))));
  }

  /** {@code field} of {@code block}, or null (shown as n/a) when a summary written in part has no such block. */
  private static <T, V> V of(T block, Function<T, V> field) {
    return block == null ? null : field.apply(block);
  }

  private void summary() {
    Path file = layout.summary();
    if (!Files.isRegularFile(file)) {
      note("no " + summaryName + ": run isles evaluate to get the summary, the threshold sweep and the overlays' threshold");
      return;
    }
    summary = Summary.read(file.getParent());
    if (summary.hasSelection()) {
      selectedOnValidation();
    }
    if (summary.meanRefused() != null) {
      note("no mean reported: " + summary.meanRefused());
    }
    if (summary.hasSelection()) {
      page.paragraph("best_all: the threshold with the highest mean Dice on the test cases themselves (optimistic;"
          + " the settings chosen on validation above are the result to report).");
    }
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("Mean Dice at the best threshold (best_all)", text(summary.meanDice())));
    rows.add(List.of("Best threshold (by mean Dice on these cases)", text(summary.bestThresholdByMeanDice())));
    rows.add(List.of("Cases in mean Dice", text(summary.nCases())));
    rows.add(List.of("Cases evaluated", text(summary.nCasesEvaluated())));
    rows.add(List.of("Cases with an empty ground truth", text(summary.nCasesEmptyGt())));
    rows.add(List.of("Predictions missing (scored by rules.broken_predictions)", text(summary.nPredictionsMissing())));
    rows.add(List.of("Predictions broken (scored by rules.broken_predictions)", text(summary.nPredictionsBroken())));
    rows.addAll(metricRows(summary.extraMetricsBest()));
    page.table(List.of("Metric (best_all)", "Value"), rows, 0);
    Summary.Isles22 isles22 = summary.isles22();
    if (isles22 != null) {
      List<List<String>> isles = new ArrayList<>();
      isles.add(statisticRow("Dice", isles22.dice()));
      isles.add(statisticRow("Absolute volume difference (mL)", isles22.absoluteVolumeDifferenceMl()));
      isles.add(statisticRow("Absolute lesion count difference", isles22.absoluteLesionCountDifference()));
      isles.add(statisticRow("Lesion-wise F1", isles22.lesionF1()));
      page.paragraph("ISLES 2022 metrics over " + text(isles22.nCases()) + " cases at threshold "
          + text(isles22.threshold()) + " (std: sample standard deviation):");
      page.table(List.of("ISLES 2022 metric", "Mean", "Std"), isles, -1);
    }
    if (!summary.missingPredictions().isEmpty()) {
      note("missing predictions (" + summary.missingPredictions().size() + "): " + text(summary.missingPredictions()));
    }
    if (!summary.failedCases().isEmpty()) {
      note("failed cases (" + summary.failedCases().size() + "): " + text(summary.failedCases()));
    }
    for (Summary.BrokenPrediction broken : summary.brokenPredictions()) {
      note("broken prediction of " + broken.caseId() + ", scored by rules.broken_predictions: " + text(broken.cause()));
    }
    if (summary.rules() != null) {
      List<List<String>> ruleRows = new ArrayList<>();
      flatten("", Json.MAPPER.valueToTree(summary.rules()), ruleRows);
      page.paragraph("Evaluation rules:");
      page.table(List.of("Rule", "Value"), ruleRows, -1);
    } else {
      note(summaryName + " has no rules");
    }
  }

  private static List<String> statisticRow(String metric, Summary.Statistic statistic) {
    return List.of(metric, text(of(statistic, Summary.Statistic::mean)), text(of(statistic, Summary.Statistic::std)));
  }

  /** Shown only when the run was compared (isles run --compare-to). */
  private void comparison() {
    Path dir = layout.comparison();
    Path file = dir.resolve(ComparisonFiles.JSON);
    if (!Files.isRegularFile(file)) {
      page.paragraph("No comparison: isles run --compare-to PREVIOUS_EVAL compares this run with an earlier evaluation.");
      return;
    }
    JsonNode json = readJson(file);
    page.link("Paired per-case comparison with " + text(json.path("baseline")) + " (A) on " + text(json.path("n_cases_paired"))
        + " cases; difference = this run - A, 95% bootstrap CI, Wilcoxon signed-rank p.", "The full table (compare.md)",
        runDir.relativize(dir.resolve(ComparisonFiles.MARKDOWN)).toString());
    List<List<String>> rows = new ArrayList<>();
    for (JsonNode c : json.path("comparisons")) {
      rows.add(List.of(text(c.path("metric")) + " (" + text(c.path("better")) + " better)", text(c.path("mean_a")), text(c.path("mean_x")),
          text(c.path("mean_difference")), text(c.path("ci95_low")) + " .. " + text(c.path("ci95_high")), text(c.path("p_value")),
          text(c.path("wins")) + "/" + text(c.path("ties")) + "/" + text(c.path("losses"))));
    }
    page.table(List.of("Metric", "A", "This run", "Difference", "95% CI", "p", "win/tie/loss"), rows, -1);
    Path dice = dir.resolve(ComparisonFiles.chartName(ComparedMetric.DICE));
    if (Files.isRegularFile(dice)) {
      page.image(readBytes(dice), "Dice per case, A to this run");
    }
  }

  private void calibration() {
    Summary.Calibration calibration = summary == null ? null : summary.calibration();
    if (calibration == null) {
      page.paragraph("No calibration: " + summaryName + " has none (made before calibration was added, or no predictions).");
      return;
    }
    page.paragraph("Expected calibration error of the voxel probabilities inside the brain (" + text(calibration.region())
        + "), " + text(calibration.bins()) + " equal-width bins, pooled over " + text(calibration.pooled().nCases())
        + " cases: ECE " + text(calibration.pooled().ece()) + ".");
    Path diagram = layout.eval().resolve(CalibrationSummary.DIAGRAM);
    if (Files.isRegularFile(diagram)) {
      page.image(readBytes(diagram), "Reliability diagram, pooled over cases");
    }
    List<List<String>> rows = new ArrayList<>();
    calibration.ecePerCase().forEach((caseId, ece) -> rows.add(List.of(caseId, text(ece))));
    page.table(List.of("Case", "ECE"), rows, -1);
  }

  private void thresholdSweep() {
    if (summary == null) {
      note("no threshold sweep without " + summaryName);
      return;
    }
    List<Summary.AtThreshold> sweep = summary.perThreshold();
    if (sweep == null || sweep.isEmpty()) {
      note(summaryName + " has no per_threshold sweep");
      return;
    }
    List<List<String>> rows = new ArrayList<>();
    int best = -1;
    for (Summary.AtThreshold point : sweep) {
      if (summary.bestThresholdByMeanDice() != null && point.threshold() == summary.bestThresholdByMeanDice()) {
        best = rows.size();
      }
      rows.add(List.of(text(point.threshold()), text(point.meanDice()), text(point.voxelPrecision()), text(point.voxelRecall()),
          text(point.detectionRateCase()), text(point.falseAlarmRateCase()), text(point.nCases())));
    }
    double[] thresholds = values(sweep, Summary.AtThreshold::threshold);
    Chart chart = new Chart("Threshold sweep", "threshold", "value");
    chart.line("mean_dice", thresholds, values(sweep, Summary.AtThreshold::meanDice));
    chart.line("voxel_precision", thresholds, values(sweep, Summary.AtThreshold::voxelPrecision));
    chart.line("voxel_recall", thresholds, values(sweep, Summary.AtThreshold::voxelRecall));
    chart.line("detection_rate_case", thresholds, values(sweep, Summary.AtThreshold::detectionRateCase));
    chart.line("false_alarm_rate_case", thresholds, values(sweep, Summary.AtThreshold::falseAlarmRateCase));
    Path file = imageDir.resolve("threshold_sweep.png");
    chart.writePng(file);
    page.image(readBytes(file), "Threshold sweep over " + text(sweep.get(0).nCases()) + " cases");
    page.table(SWEEP_COLUMNS, rows, best);
  }

  private void trainingCurves() {
    List<Path> curves = new ArrayList<>();
    for (Path dir : layout.trainingFolders()) {
      if (Files.isDirectory(dir)) {
        try (Stream<Path> files = Files.walk(dir)) {
          files.filter(Files::isRegularFile).filter(HtmlReport::isCurve).sorted().forEach(curves::add);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
      }
    }
    if (curves.isEmpty()) {
      note("no training curves (*curve*.png) under " + String.join("/ or ", layout.trainingFolders().stream().map(this::relative).toList()) + "/");
      return;
    }
    page.beginGallery();
    for (Path curve : curves) {
      page.image(readBytes(curve), runDir.relativize(curve).toString());
    }
    page.endGallery();
  }

  private void caseTable() {
    Path file = layout.cases();
    if (!Files.isRegularFile(file)) {
      note("no " + casesName + ": run isles evaluate to get the per-case table");
      return;
    }
    cases = CsvTable.read(file);
    page.paragraph(cases.rows().size() + " cases; numbers at the best threshold.");
    page.table(cases.header(), cases.rows().stream().map(row -> row.stream().map(HtmlReport::cell).toList()).toList(), -1);
  }

  private void overlays() {
    if (cases == null) {
      note("no overlays without " + casesName);
      return;
    }
    int id = cases.column("case_id");
    int dice = cases.column("dice");
    if (id < 0 || dice < 0) {
      note("no overlays: " + casesName + " has no case_id or dice column");
      return;
    }
    int lesions = cases.column("gt_lesions");
    List<List<String>> ranked = cases.rows().stream()
        .filter(row -> !row.get(dice).isBlank())
        .filter(row -> lesions < 0 || !row.get(lesions).equals("0"))
        .sorted(Comparator.comparingDouble((List<String> row) -> -Double.parseDouble(row.get(dice))).thenComparing(row -> row.get(id)))
        .toList();
    // With fewer than twice as many cases, the better half counts as best and the rest as worst.
    int bestCount = Math.min(BEST_AND_WORST, (ranked.size() + 1) / 2);
    List<List<String>> chosen = new ArrayList<>(ranked.subList(0, bestCount));
    chosen.addAll(ranked.subList(Math.max(bestCount, ranked.size() - BEST_AND_WORST), ranked.size()));
    if (chosen.isEmpty()) {
      note("no overlays: no case in " + casesName + " has a Dice and a ground-truth lesion");
      return;
    }
    Map<String, CaseRecord> dataset = dataset();
    if (dataset == null) {
      return;
    }
    page.paragraph("Ground truth outlined in green, prediction in red, both in yellow. Radiological view: the"
        + " patient's right on the left, anterior up; the axial slices with the most lesion voxels.");
    for (int rank = 0; rank < chosen.size(); rank++) {
      String caseId = chosen.get(rank).get(id);
      String label = (rank < bestCount ? "best " : "worst ") + caseId + "  Dice "
          + cell(chosen.get(rank).get(dice));
      try {
        overlay(caseId, label, dataset.get(caseId));
      } catch (RuntimeException e) {
        note("no overlay for " + caseId + ": " + e.getMessage());
      }
    }
  }

  /** The cases of the run's input root by id, or null (with a note) when it cannot be found. */
  private Map<String, CaseRecord> dataset() {
    Path runFile = layout.command();
    if (!Files.isRegularFile(runFile)) {
      note("no overlays: no " + RunLayout.COMMAND + " naming the input dataset");
      return null;
    }
    String input = RunCommandRecord.read(runFile).input();
    if (input == null || input.isEmpty()) {
      note("no overlays: " + RunLayout.COMMAND + " has no \"input\"");
      return null;
    }
    Path root = Path.of(input);
    if (!root.isAbsolute() && !Files.isDirectory(root)) {
      root = runDir.resolve(root);
    }
    if (!Files.isDirectory(root)) {
      note("no overlays: the input dataset " + input + " is not a directory here");
      return null;
    }
    return CaseDiscovery.discover(root).stream().collect(Collectors.toMap(CaseRecord::getCaseId, Function.identity()));
  }

  private void overlay(String caseId, String label, CaseRecord record) {
    if (record == null || record.getDwiPath() == null || record.getMaskPath() == null) {
      throw new IllegalArgumentException(record == null ? "not in the input dataset" : "no DWI or ground truth: " + record.getInvalidReason());
    }
    Volume dwi = Nifti.readVolume(Path.of(record.getDwiPath()));
    boolean[] truth = nonzero(onGrid(Nifti.readVolume(Path.of(record.getMaskPath())), dwi, "ground truth"));
    BufferedImage image = Overlay.render(dwi, truth, prediction(caseId, dwi), label);
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", png);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode the overlay of " + caseId + ": " + e.getMessage(), e);
    }
    AtomicFiles.writeBytes(imageDir.resolve("overlay_" + caseId + ".png"), png.toByteArray());
    page.image(png.toByteArray(), label);
  }

  private boolean[] prediction(String caseId, Volume dwi) {
    Path predictions = layout.predictions();
    Path mask = nifti(RunLayout.masks(predictions), caseId);
    if (mask != null) {
      return nonzero(onGrid(Nifti.readVolume(mask), dwi, "predicted mask"));
    }
    Path probabilities = nifti(predictions, caseId);
    if (probabilities == null) {
      throw new IllegalArgumentException("no prediction " + relative(RunLayout.mask(predictions, caseId)) + " or "
          + relative(RunLayout.probabilities(predictions, caseId)));
    }
    Double threshold = summary == null ? null : summary.bestThresholdByMeanDice();
    if (threshold == null) {
      throw new IllegalArgumentException("only a probability map, and no best threshold in " + summaryName + " to binarize it");
    }
    return PostProcessor.binarize(onGrid(Nifti.readVolume(probabilities), dwi, "probability map").data(), threshold);
  }

  private String relative(Path file) {
    return runDir.relativize(file).toString();
  }

  private static Path nifti(Path dir, String caseId) {
    for (String suffix : NIFTI_SUFFIXES) {
      Path file = dir.resolve(caseId + suffix);
      if (Files.isRegularFile(file)) {
        return file;
      }
    }
    return null;
  }

  private static Volume onGrid(Volume volume, Volume dwi, String what) {
    if (!volume.grid().sameGrid(dwi.grid(), Grid.TOLERANCE_MM)) {
      throw new IllegalArgumentException("the " + what + " grid " + volume.grid() + " is not the DWI grid " + dwi.grid());
    }
    return volume;
  }

  private static boolean[] nonzero(Volume volume) {
    boolean[] mask = new boolean[volume.data().length];
    for (int n = 0; n < mask.length; n++) {
      mask[n] = volume.data()[n] != 0;
    }
    return mask;
  }

  private static boolean isCurve(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.contains("curve") && name.endsWith(".png");
  }

  private static JsonNode readJson(Path file) {
    try {
      return Json.MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read JSON " + file + ": " + e.getMessage(), e);
    }
  }

  private static byte[] readBytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static <T> double[] values(List<T> points, Function<T, ? extends Number> field) {
    double[] values = new double[points.size()];
    for (int n = 0; n < values.length; n++) {
      Number value = field.apply(points.get(n));
      values[n] = value == null ? Double.NaN : value.doubleValue();
    }
    return values;
  }

  /** Nested rules as dotted names, e.g. post_processing.top_k. */
  private static void flatten(String prefix, JsonNode node, List<List<String>> rows) {
    node.fields().forEachRemaining(field -> {
      if (field.getValue().isObject()) {
        flatten(prefix + field.getKey() + ".", field.getValue(), rows);
      } else {
        rows.add(List.of(prefix + field.getKey(), text(field.getValue())));
      }
    });
  }

  /** A JSON value as the page shows it: n/a for null or missing, four decimals for fractions. */
  private static String text(JsonNode value) {
    if (value == null || value.isMissingNode() || value.isNull()) {
      return "n/a";
    }
    if (value.isArray()) {
      List<String> items = new ArrayList<>();
      value.forEach(item -> items.add(text(item)));
      return String.join(", ", items);
    }
    if (value.isIntegralNumber()) {
      return value.asText();
    }
    return value.isNumber() ? decimal(value.asDouble()) : value.asText();
  }

  /** A summary value as the page shows it: as {@link #text(JsonNode)} shows the same value in JSON. */
  private static String text(Object value) {
    return text(Json.MAPPER.<JsonNode>valueToTree(value));
  }

  /** A CSV cell as the page shows it: fractions with four decimals, anything else as written. */
  private static String cell(String value) {
    if (value.contains(".") && !value.isBlank()) {
      try {
        return decimal(Double.parseDouble(value));
      } catch (NumberFormatException notANumber) {
        return value;
      }
    }
    return value;
  }

  private static String decimal(double value) {
    return String.format(Locale.ROOT, "%.4f", value);
  }
}

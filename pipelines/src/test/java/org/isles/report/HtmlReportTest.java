package org.isles.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.isles.dataset.BidsLayout;
import org.isles.dataset.Modality;
import org.isles.io.Json;
import org.isles.nifti.Nifti;
import org.isles.nifti.NiftiDatatype;
import org.isles.pipelines.RunLayout;
import org.isles.plot.Chart;
import org.isles.volume.Grid;
import org.isles.volume.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {
  private static final Pattern DATA_URI = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"");
  private static final Grid GRID = Grid.axisAligned(24, 20, 8, 1, 1, 2);
  /** The evaluation's cases.csv header (org.isles.evaluation.CaseTable.COLUMNS). */
  private static final String CASES_HEADER =
      "case_id,threshold,dice,lesion_f1,gt_volume_ml,pred_volume_ml,volume_diff_ml,gt_lesions,pred_lesions,lesion_tp,"
          + "lesion_fp,lesion_fn,voxel_tp,voxel_fp,voxel_fn,hd_mm,hd95_mm,assd_mm,slice_thickness_mm,slice_bucket,"
          + "size_bucket,prediction_missing";

  @Test
  void fullRunDirectoryGivesTablesPlotsCurvesAndOverlays(@TempDir Path dir) throws Exception {
    Path run = dir.resolve("run");
    Path data = dir.resolve("data");
    writeCase(data, "sub-a", OverlayTest.cube(GRID, 5, 3, 5));
    writeCase(data, "sub-b", OverlayTest.cube(GRID, 5, 3, 5));
    writeCase(data, "sub-c", OverlayTest.cube(GRID, 5, 3, 5));
    // sub-a: a predicted mask shifted by two voxels; sub-b: only a probability map, 0.7 on the truth
    // and 0.3 beside it, so only the truth cube passes the best threshold 0.5; sub-c: no prediction.
    writeNifti(run.resolve("predictions/masks/sub-a.nii.gz"), mask(OverlayTest.cube(GRID, 7, 3, 5)), NiftiDatatype.UINT8);
    float[] probabilities = new float[GRID.size()];
    boolean[] truth = OverlayTest.cube(GRID, 5, 3, 5);
    boolean[] beside = OverlayTest.cube(GRID, 14, 3, 5);
    for (int n = 0; n < probabilities.length; n++) {
      probabilities[n] = truth[n] ? 0.7f : beside[n] ? 0.3f : 0f;
    }
    writeNifti(run.resolve("predictions/sub-b.nii.gz"), new Volume(GRID, probabilities), NiftiDatatype.FLOAT32);
    Json.write(run.resolve("run.json"), Map.of("input", data.toString()));
    Json.write(new RunLayout(run).summary(), summary());
    Files.writeString(new RunLayout(run).cases(), CASES_HEADER + "\n"
        + "sub-a,0.5,0.6,1.0,0.1,0.1,0.0,1,1,1,0,0,30,20,20,2.0,2.0,1.23456789,2.0,thin,small,false\n"
        + "sub-b,0.5,0.98765,1.0,0.1,0.1,0.0,1,1,1,0,0,50,0,0,0.0,0.0,0.0,2.0,thin,small,false\n"
        + "sub-c,0.5,0.0,0.0,0.1,0.0,-0.1,1,0,0,0,1,0,0,50,,,,2.0,thin,small,true\n"
        // An empty ground truth predicted empty: Dice 1 by rule, but nothing to outline, so not ranked.
        + "sub-e,0.5,1.0,1.0,0.0,0.0,0.0,0,0,0,0,0,0,0,0,,,,2.0,thin,empty,false\n");
    new Chart("loss", "epoch", "loss").line("train", new double[] {0, 1, 2}, new double[] {1, 0.6, 0.4})
        .writePng(run.resolve("runs/fold0/loss_curve.png"));

    List<String> notes = HtmlReport.write(run, run.resolve("report.html"));
    String html = Files.readString(run.resolve("report.html"), StandardCharsets.UTF_8);

    assertEquals(1, notes.size(), "only sub-c's missing prediction: " + notes);
    assertTrue(notes.get(0).startsWith("no overlay for sub-c: no prediction"), notes.get(0));
    for (String value : List.of(
        "0.6123", "0.5000", "0.4321", "0.2222", "0.7500", "0.6667", "0.7143", "0.6900", "3.2100", "8.7600", "7.6500",
        "1.2500", "0.5432", "0.1234", "excluded", "post_processing.top_k", "0.9877", "1.2346", "runs/fold0/loss_curve.png",
        "best sub-b  Dice 0.9877", "best sub-a  Dice 0.6000")) {
      assertTrue(html.contains(value), "the page shows " + value);
    }
    assertTrue(html.contains("<tr class=\"highlight\"><td class=\"number\">0.5000</td><td class=\"number\">0.6123</td>"), "best threshold row stands out");
    assertFalse(html.contains("<script"), "no script needed");
    assertFalse(html.contains("best sub-e"), "a case without a lesion is not ranked");

    List<BufferedImage> images = embeddedImages(html);
    assertEquals(4, images.size(), "sweep, one curve, overlays of the best two (sub-b, sub-a); the worst, sub-c, has no prediction");
    images.forEach(image -> assertNotNull(image, "every data URI decodes as a PNG"));
    int pixelsPerVoxel = Overlay.scale(GRID) * Overlay.scale(GRID);
    BufferedImage best = images.get(2);
    assertEquals(0, OverlayTest.count(best, Overlay.PREDICTION_RGB), "sub-b's 0.3 cube stays below the threshold");
    assertEquals(3 * 16 * pixelsPerVoxel, OverlayTest.count(best, Overlay.BOTH_RGB), "sub-b predicted the truth exactly");
    BufferedImage worst = images.get(3);
    assertEquals(3 * 10 * pixelsPerVoxel, OverlayTest.count(worst, Overlay.GROUND_TRUTH_RGB));
    assertEquals(3 * 10 * pixelsPerVoxel, OverlayTest.count(worst, Overlay.PREDICTION_RGB));
    assertTrue(Files.isRegularFile(run.resolve("report_files/overlay_sub-a.png")));
    assertTrue(Files.isRegularFile(run.resolve("report_files/threshold_sweep.png")));
  }

  @Test
  void settingsChosenOnValidationLeadAndBestAllIsLabelled(@TempDir Path run) throws Exception {
    Map<String, Object> selected = new LinkedHashMap<>();
    selected.put("threshold", 0.62);
    selected.put("post_processing", Map.of("min_size_voxels", 0, "top_k", 0, "cc_score", "max_prob", "cc_score_threshold", 0.8));
    selected.put("chosen_on", "predictions in /x/predictions_validation (out of fold)");
    selected.put("n_cases_chosen_on", 19);
    selected.put("validation_mean_dice", 0.8111);
    selected.put("rule", "highest mean Dice");
    selected.put("mean_dice", 0.7222);
    selected.put("n_cases", 5);
    selected.put("voxel_precision", 0.6333);
    selected.put("voxel_recall", 0.9444);
    selected.put("extra_metrics", Map.of("lesionwise", Map.of("f1_micro", 0.8555), "mean_fp_cc", 0.4));
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("selected_on_validation", selected);
    summary.putAll(summary());
    summary.put("broken_predictions", List.of(Map.of("case_id", "sub-x", "file", "/p/sub-x.nii.gz", "cause", "NaN at voxel (1, 2, 3)")));
    Json.write(new RunLayout(run).summary(), summary);

    HtmlReport.write(run, run.resolve("report.html"));
    String html = Files.readString(run.resolve("report.html"), StandardCharsets.UTF_8);

    int chosen = html.indexOf("Chosen on validation, applied to the test set");
    int bestAll = html.indexOf("Mean Dice at the best threshold (best_all)");
    assertTrue(chosen > 0 && bestAll > chosen, "the validation-selected block comes first");
    for (String value : List.of("0.6200", "cc_score max &gt;= 0.8", "0.8111", "0.7222", "0.6333", "0.9444", "0.8555", "19 validation cases",
        "on the test cases themselves", "broken prediction of sub-x, scored by rules.broken_predictions: NaN at voxel (1, 2, 3)")) {
      assertTrue(html.contains(value), "the page shows " + value);
    }
    assertTrue(html.indexOf("0.7222") < bestAll && html.indexOf("0.6123") > bestAll, "each block shows its own mean Dice");
  }

  @Test
  void emptyRunDirectoryGivesAPageOfNotes(@TempDir Path run) throws Exception {
    List<String> notes = HtmlReport.write(run, run.resolve("report.html"));
    String html = Files.readString(run.resolve("report.html"));
    assertEquals(5, notes.size(), notes.toString());
    assertTrue(notes.get(0).startsWith("no eval/summary.json"), notes.get(0));
    assertTrue(notes.get(2).startsWith("no training curves"), notes.get(2));
    assertTrue(notes.get(3).startsWith("no eval/cases.csv"), notes.get(3));
    notes.forEach(note -> assertTrue(html.contains(HtmlPage.escape(note)), "the page shows: " + note));
    assertTrue(embeddedImages(html).isEmpty());
  }

  @Test
  void unreadableInputsAreNotedAndTheRestIsShown(@TempDir Path run) throws Exception {
    Files.createDirectories(run.resolve("eval"));
    Files.writeString(new RunLayout(run).summary(), "{ \"mean_dice\": 0.5, ");
    Files.writeString(new RunLayout(run).cases(), "case_id,dice\nsub-a,0.5\n");
    Files.writeString(new RunLayout(run).command(), "{\"input\": \"" + run.resolve("nowhere") + "\"}");
    List<String> notes = HtmlReport.write(run, run.resolve("report.html"));
    assertTrue(notes.get(0).startsWith("Summary not shown: cannot read JSON " + new RunLayout(run).summary()), notes.get(0));
    assertTrue(notes.stream().anyMatch(note -> note.contains("is not a directory here")), notes.toString());
    assertTrue(Files.readString(run.resolve("report.html")).contains("<td>sub-a</td><td class=\"number\">0.5000</td>"));
  }

  private static Map<String, Object> summary() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("mean_dice", 0.61234);
    json.put("best_threshold_by_mean_dice", 0.5);
    json.put("n_cases", 3);
    List<Map<String, Object>> sweep = new ArrayList<>();
    sweep.add(point(0.3, 0.4321, 0.2222));
    sweep.add(point(0.5, 0.61234, 0.75));
    json.put("per_threshold", sweep);
    json.put("extra_metrics_best", Map.of(
        "volume_diff_ml", Map.of("mean", 0.6667, "mean_abs", 0.7143),
        "lesionwise", Map.of("f1_mean", 0.69),
        "boundary_distance_mm", Map.of("assd", 3.21, "hd", 8.76, "hd95", 7.65),
        "mean_fp_cc", 1.25));
    Map<String, Object> dice = new LinkedHashMap<>();
    dice.put("mean", 0.5432);
    dice.put("std", 0.1234);
    json.put("isles22", Map.of("threshold", 0.5, "n_cases", 3, "dice", dice));
    json.put("missing_predictions", List.of());
    json.put("rules", Map.of("empty_gt", "excluded", "post_processing", Map.of("top_k", 0)));
    return json;
  }

  private static Map<String, Object> point(double threshold, double meanDice, double precision) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("threshold", threshold);
    json.put("mean_dice", meanDice);
    json.put("voxel_precision", precision);
    json.put("voxel_recall", 0.5);
    json.put("detection_rate_case", 1.0);
    json.put("false_alarm_rate_case", null);
    json.put("n_cases", 3);
    return json;
  }

  private static void writeCase(Path root, String caseId, boolean[] truth) {
    float[] dwi = new float[GRID.size()];
    for (int n = 0; n < dwi.length; n++) {
      dwi[n] = 100 + n % 50;
    }
    writeNifti(BidsLayout.path(root, caseId, Modality.DWI), new Volume(GRID, dwi), NiftiDatatype.FLOAT32);
    writeNifti(BidsLayout.path(root, caseId, Modality.ADC), new Volume(GRID, dwi), NiftiDatatype.FLOAT32);
    writeNifti(BidsLayout.path(root, caseId, Modality.MASK), mask(truth), NiftiDatatype.UINT8);
  }

  private static void writeNifti(Path file, Volume volume, NiftiDatatype type) {
    try {
      Files.createDirectories(file.getParent());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Nifti.write(file, volume, type);
  }

  private static Volume mask(boolean[] voxels) {
    float[] data = new float[voxels.length];
    for (int n = 0; n < data.length; n++) {
      data[n] = voxels[n] ? 1 : 0;
    }
    return new Volume(GRID, data);
  }

  private static List<BufferedImage> embeddedImages(String html) throws Exception {
    List<BufferedImage> images = new ArrayList<>();
    Matcher matcher = DATA_URI.matcher(html);
    while (matcher.find()) {
      images.add(ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(matcher.group(1)))));
    }
    return images;
  }
}

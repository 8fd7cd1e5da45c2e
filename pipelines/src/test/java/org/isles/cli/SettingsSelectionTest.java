package org.isles.cli;

import static org.isles.cli.EvaluationCases.GRID;
import static org.isles.cli.EvaluationCases.cube;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.isles.io.Json;
import org.isles.nifti.Nifti;
import org.isles.nifti.NiftiDatatype;
import org.isles.postprocess.ComponentScore;
import org.isles.postprocess.PostProcessingGrid;
import org.isles.postprocess.PostProcessingOptions;
import org.isles.volume.Volume;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code isles evaluate --select-settings} on four validation cases and {@code --selected} on three
 * test cases, all predictions in one folder. On 10x10x6 voxels of 1 mm, thresholds 0.3, 0.5, 0.7:
 *
 * <pre>
 *   v1  GT cube 2^3    0.95 on it, a 2^3 blob of 0.6 elsewhere
 *   v2  GT empty       a 2^3 blob of 0.65
 *   v3  GT one voxel   0.9 on it
 *   v4  GT cube 2^3    0.85 on it, one voxel of 0.75 elsewhere
 * </pre>
 *
 * Without post-processing the best is 0.7 (only v4's 0.75 voxel is left: Dice 16/17, mean 0.985);
 * min sizes drop v3's lesion; cc_score max >= 0.6 or 0.7 keeps blobs. cc_score max >= 0.8 keeps
 * only the lesions: mean Dice 1 at every threshold, so it is chosen, at the lowest threshold 0.3.
 */
class SettingsSelectionTest {
  private static final String THRESHOLDS = "0.3,0.5,0.7";
  private static final double EPS = 1e-12;

  @TempDir static Path dir;
  static Path gt;
  static Path probs;
  static Path validation;
  static Path test;
  /** The selection on the four validation cases. */
  static Path chosen;

  @BeforeAll
  static void writeCases() throws Exception {
    gt = Files.createDirectories(dir.resolve("gt"));
    probs = Files.createDirectories(dir.resolve("probs"));
    write("v1", cube(2, 2, 2, 1f), add(cube(2, 2, 2, 0.95f), cube(6, 6, 2, 0.6f)));
    write("v2", Volume.zeros(GRID), cube(6, 6, 2, 0.65f));
    write("v3", voxel(5, 5, 3, 1), voxel(5, 5, 3, 0.9f));
    write("v4", cube(2, 2, 2, 1f), add(cube(2, 2, 2, 0.85f), voxel(7, 7, 4, 0.75f)));
    writeTestCases(0.9f, 0f);
    validation = Files.writeString(dir.resolve("validation.txt"), "v1\nv2\nv3\nv4\n");
    test = Files.writeString(dir.resolve("test.txt"), "t1\nt2\nt3\n");
    chosen = evaluate("chosen", "--cases", validation.toString(), "--select-settings");
  }

  /** t1: GT cube predicted at {@code t1}; t2: empty GT, a 2^3 blob at {@code t2Blob}; t3: GT cube at 0.85 and a 0.55 blob. */
  private static void writeTestCases(float t1, float t2Blob) {
    write("t1", cube(2, 2, 2, 1f), cube(2, 2, 2, t1));
    write("t2", Volume.zeros(GRID), cube(6, 6, 2, t2Blob));
    write("t3", cube(2, 2, 2, 1f), add(cube(2, 2, 2, 0.85f), cube(6, 6, 2, 0.55f)));
  }

  @Test
  void selectionUsesNoTestCase() throws Exception {
    JsonNode selection = Json.read(chosen.resolve("selection.json"), JsonNode.class);
    assertEquals(0.3, selection.get("threshold").asDouble());
    assertEquals("max_prob", selection.at("/post_processing/cc_score").asText());
    assertEquals(0.8, selection.at("/post_processing/cc_score_threshold").asDouble());
    assertEquals(1.0, selection.get("validation_mean_dice").asDouble(), EPS);
    assertEquals(4, selection.get("n_cases_chosen_on").asInt());
    JsonNode none = selection.at("/candidates/0");
    assertEquals(0.7, none.get("best_threshold").asDouble());
    assertEquals((3 + 16.0 / 17) / 4, none.get("mean_dice").asDouble(), EPS);

    Path testEval = evaluate("test", "--cases", test.toString(), "--selected", chosen.resolve("selection.json").toString());
    JsonNode atSelected = Json.read(testEval.resolve("summary.json"), JsonNode.class).get("selected_on_validation");
    assertEquals(1.0, atSelected.get("mean_dice").asDouble(), EPS, "t1, t2, t3 all right at 0.3 with cc_score max >= 0.8");
    assertEquals(3, atSelected.get("n_cases").asInt());
    assertEquals("selected_on_validation", Json.read(testEval.resolve("summary.json"), JsonNode.class).fieldNames().next(),
        "the summary leads with the settings chosen on validation");

    // Test predictions that favour other settings: t1 at 0.75 (cc_score max >= 0.8 drops it), a confident false alarm on t2.
    writeTestCases(0.75f, 0.95f);
    Path again = evaluate("chosen-again", "--cases", validation.toString(), "--select-settings");
    assertArrayEquals(Files.readAllBytes(chosen.resolve("selection.json")), Files.readAllBytes(again.resolve("selection.json")),
        "changing test predictions changes nothing in the selection");
    JsonNode perturbed = Json.read(evaluate("test-again", "--cases", test.toString(), "--selected",
        again.resolve("selection.json").toString()).resolve("summary.json"), JsonNode.class).get("selected_on_validation");
    assertEquals(atSelected.get("threshold"), perturbed.get("threshold"));
    assertEquals(atSelected.get("post_processing"), perturbed.get("post_processing"));
    assertEquals(1.0 / 3, perturbed.get("mean_dice").asDouble(), EPS, "only t3 is right now");
    // The perturbation matters: chosen on validation and test cases together, the settings differ.
    Path all = Files.writeString(dir.resolve("all.txt"), "v1\nv2\nv3\nv4\nt1\nt2\nt3\n");
    JsonNode leaky = Json.read(evaluate("chosen-with-test", "--cases", all.toString(), "--select-settings")
        .resolve("selection.json"), JsonNode.class);
    // With the perturbed test cases, none at 0.7 reaches (3 + 16/17 + 1 + 0 + 1) / 7 = 0.849, cc_score max >= 0.8 only 5 / 7.
    assertEquals((5 + 16.0 / 17) / 7, leaky.get("validation_mean_dice").asDouble(), EPS);
    assertNotEquals(selection.get("post_processing"), leaky.get("post_processing"), "test cases, if used, change the choice");
    writeTestCases(0.9f, 0f);
  }

  @Test
  void theGridIsTheEvaluationsOwnPostProcessing() {
    JsonNode candidates = Json.read(chosen.resolve("selection.json"), JsonNode.class).get("candidates");
    assertEquals(PostProcessingGrid.CANDIDATES.size(), candidates.size());
    // One of each kind and the extremes: none, the smallest and largest size, max, p95 and mean scores.
    int last = candidates.size() - 1;
    for (int c : new int[] {0, 1, PostProcessingGrid.MIN_SIZES_VOXELS.size(), PostProcessingGrid.MIN_SIZES_VOXELS.size() + 2,
        last - PostProcessingGrid.MEAN_PROBABILITY_LEVELS.size(), last}) {
      PostProcessingOptions options = PostProcessingGrid.CANDIDATES.get(c);
      List<String> flags = new ArrayList<>(List.of("--cases", validation.toString(), "--min-size", "" + options.minComponentVoxels()));
      if (options.componentScore() != ComponentScore.NONE) {
        flags.addAll(List.of("--cc-score", candidates.get(c).at("/post_processing/cc_score").asText(),
            "--cc-score-thr", "" + options.componentScoreThreshold()));
      }
      JsonNode summary = Json.read(evaluate("grid-" + c, flags.toArray(String[]::new)).resolve("summary.json"), JsonNode.class);
      assertEquals(summary.get("rules").get("post_processing"), candidates.get(c).get("post_processing"), "candidate " + c);
      assertEquals(summary.get("mean_dice").asDouble(), candidates.get(c).get("mean_dice").asDouble(), EPS, "candidate " + c);
      assertEquals(summary.get("best_threshold_by_mean_dice").asDouble(), candidates.get(c).get("best_threshold").asDouble(),
          "candidate " + c);
    }
  }

  @Test
  void refuseChoosesNothingWhileAPredictionIsMissing() throws Exception {
    Nifti.write(gt.resolve("v5.nii.gz"), cube(2, 2, 2, 1f), NiftiDatatype.UINT8);
    Path withMissing = Files.writeString(dir.resolve("with-missing.txt"), "v1\nv2\nv3\nv4\nv5\n");
    Path out = dir.resolve("refused");
    CliRun refused = CliRun.isles("evaluate", "--probs-dir", probs.toString(), "--gt", gt.toString(), "--out-dir", out.toString(),
        "--thresholds", THRESHOLDS, "--cases", withMissing.toString(), "--select-settings", "--broken-predictions", "refuse");
    Files.delete(gt.resolve("v5.nii.gz"));
    assertEquals(2, refused.exitCode(), refused.err());
    assertTrue(refused.err().contains("no settings chosen"), refused.err());
    assertFalse(Files.exists(out.resolve("selection.json")));
  }

  private static Path evaluate(String name, String... flags) {
    Path out = dir.resolve(name);
    List<String> args = new ArrayList<>(List.of("evaluate", "--probs-dir", probs.toString(), "--gt", gt.toString(),
        "--out-dir", out.toString(), "--thresholds", THRESHOLDS));
    args.addAll(List.of(flags));
    assertEquals(0, IslesCli.execute(args.toArray(String[]::new)), String.join(" ", args));
    return out;
  }

  private static void write(String id, Volume truth, Volume probabilities) {
    EvaluationCases.write(gt, probs, id, truth, probabilities);
  }

  private static Volume voxel(int i, int j, int k, float value) {
    Volume volume = Volume.zeros(GRID);
    volume.data()[GRID.index(i, j, k)] = value;
    return volume;
  }

  private static Volume add(Volume a, Volume b) {
    float[] sum = a.data().clone();
    for (int n = 0; n < sum.length; n++) {
      sum[n] += b.data()[n];
    }
    return new Volume(GRID, sum);
  }
}

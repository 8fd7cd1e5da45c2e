package org.isles.cli;

import static org.isles.cli.EvaluationCases.GRID;
import static org.isles.cli.EvaluationCases.cube;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.isles.io.Json;
import org.isles.nifti.Nifti;
import org.isles.nifti.NiftiDatatype;
import org.isles.volume.Volume;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keys of summary.json are a contract with the users' scripts: a small evaluation with every
 * optional block (selected_on_validation, calibration, a missing and a broken prediction, an empty
 * ground truth) and one under --broken-predictions refuse have exactly the key tree, and the
 * top-level order, that the untyped summary had before it became the {@link
 * org.isles.evaluation.Summary} record tree. The expected trees in summary-keys-*.txt were captured
 * by running these evaluations on that code (one path a line, array elements as {@code []}, case
 * ids c1 and c2 under calibration.ece_per_case).
 */
class SummaryKeysTest {

  @TempDir static Path dir;
  static Path gt;
  static Path probs;

  @BeforeAll
  static void writeCases() {
    gt = dir.resolve("gt");
    probs = dir.resolve("probs");
    write("c1", cube(2, 2, 2, 1f), cube(2, 2, 2, 0.9f));
    write("c2", Volume.zeros(GRID), cube(6, 6, 2, 0.65f));
    write("c3", cube(2, 2, 2, 1f), cube(2, 2, 2, 1.5f));
    Nifti.write(gt.resolve("c4.nii.gz"), cube(5, 5, 3, 1f), NiftiDatatype.UINT8);
  }

  @Test
  void aSummaryWithEveryBlockHasTheKeysOfBefore() throws Exception {
    Path chosen = evaluate("chosen", 1, "--select-settings");
    Path selected = evaluate("selected", 1, "--selected", chosen.resolve("selection.json").toString());
    assertEquals(expected("summary-keys-selected.txt"), keys(selected));
    assertEquals(List.of("selected_on_validation", "mean_dice", "best_threshold_by_mean_dice", "best_threshold_chosen_on", "n_cases",
        "n_cases_evaluated", "n_cases_empty_gt", "per_threshold", "extra_metrics_best", "isles22", "by_slice_spacing", "by_lesion_size",
        "n_predictions_missing", "missing_predictions", "n_predictions_broken", "broken_predictions", "failed_cases", "rules",
        "calibration"), topLevel(selected));
  }

  @Test
  void aRefusedSummaryHasTheKeysOfBefore() throws Exception {
    Path refused = evaluate("refused", 1, "--broken-predictions", "refuse");
    assertEquals(expected("summary-keys-refused.txt"), keys(refused));
    assertEquals(List.of("mean_refused", "n_cases_evaluated", "n_predictions_missing", "missing_predictions", "n_predictions_broken",
        "broken_predictions", "failed_cases", "rules", "calibration"), topLevel(refused));
  }

  @Test
  void excludingEmptyGroundTruthsDropsOnlyTheEmptyBucket() throws Exception {
    Path excluded = evaluate("excluded", 1, "--exclude-empty-gt");
    TreeSet<String> keys = expected("summary-keys-selected.txt");
    keys.removeIf(key -> key.startsWith("selected_on_validation") || key.startsWith("by_lesion_size.empty"));
    assertEquals(keys, keys(excluded));
  }

  /** The key tree captured from the summary as the untyped code wrote it, one path a line. */
  private static TreeSet<String> expected(String resource) throws Exception {
    try (var in = SummaryKeysTest.class.getResourceAsStream(resource)) {
      return new TreeSet<>(List.of(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")));
    }
  }

  private static List<String> topLevel(Path evalDir) {
    List<String> names = new ArrayList<>();
    Json.read(evalDir.resolve("summary.json"), JsonNode.class).fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static Path evaluate(String name, int exit, String... flags) {
    Path out = dir.resolve(name);
    List<String> args = new ArrayList<>(List.of("evaluate", "--probs-dir", probs.toString(), "--gt", gt.toString(),
        "--out-dir", out.toString(), "--thresholds", "0.3,0.5,0.7"));
    args.addAll(List.of(flags));
    assertEquals(exit, IslesCli.execute(args.toArray(String[]::new)), String.join(" ", args));
    return out;
  }

  static TreeSet<String> keys(Path evalDir) {
    TreeSet<String> keys = new TreeSet<>();
    collect("", Json.read(evalDir.resolve("summary.json"), JsonNode.class), keys);
    return keys;
  }

  private static void collect(String prefix, JsonNode node, TreeSet<String> keys) {
    if (node.isObject()) {
      node.fields().forEachRemaining(field -> {
        String path = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
        keys.add(path);
        collect(path, field.getValue(), keys);
      });
    } else if (node.isArray()) {
      node.forEach(item -> collect(prefix + "[]", item, keys));
    }
  }

  private static void write(String id, Volume truth, Volume probabilities) {
    EvaluationCases.write(gt, probs, id, truth, probabilities);
  }

}

package org.isles.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.isles.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code isles analyze} on the evaluation of {@link CraftedCases}, whose error types are known by construction. */
class AnalyzeCommandTest {
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  @TempDir static Path dir;
  static Path eval;

  @BeforeAll
  static void evaluateAndAnalyze() throws Exception {
    Path gt = Files.createDirectories(dir.resolve("gt"));
    Path probs = Files.createDirectories(dir.resolve("probs"));
    CraftedCases.write(gt, probs);
    eval = dir.resolve("eval");
    assertEquals(0, IslesCli.execute("evaluate", "--probs-dir", probs.toString(), "--gt", gt.toString(),
        "--out-dir", eval.toString(), "--thresholds", CraftedCases.THRESHOLDS));
    assertEquals(0, IslesCli.execute("analyze", "--eval-dir", eval.toString(), "--top-k", "3"));
  }

  @Test
  void casesAreSortedWorstFirstWithTheirErrorType() throws Exception {
    // At the best threshold 0.6: c2 and c3 score 0 (ties by id), c1 0.4, c4 0.6, c5 1.
    assertEquals(
        List.of("c2 false_alarm_empty_case", "c3 missed_lesion", "c1 false_negative_dominated",
            "c4 false_positive_dominated", "c5 none"),
        idAndErrorType(eval.resolve("cases_sorted.csv")));
    assertEquals(
        List.of("c2 false_alarm_empty_case", "c3 missed_lesion", "c1 false_negative_dominated"),
        idAndErrorType(eval.resolve("worst_cases.csv")));
  }

  @Test
  void reportCountsErrorTypes() {
    JsonNode report = Json.read(eval.resolve("analysis_report.json"), JsonNode.class);
    assertEquals(0.6, report.get("best_threshold").asDouble());
    assertEquals(5, report.get("n_cases").asInt());
    JsonNode counts = report.get("error_types");
    assertEquals(1, counts.get("false_alarm_empty_case").asInt());
    assertEquals(1, counts.get("missed_lesion").asInt());
    assertEquals(1, counts.get("false_positive_dominated").asInt());
    assertEquals(1, counts.get("false_negative_dominated").asInt());
    assertEquals(1, counts.get("none").asInt());
    assertEquals(3, report.get("worst_cases").size());
    assertEquals("c2", report.at("/worst_cases/0/case_id").asText());
  }

  @Test
  void plotsAreValidPngs() throws Exception {
    for (String name : List.of("threshold_sweep.png", "dice_by_lesion_size.png")) {
      Path file = eval.resolve(name);
      assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(Files.readAllBytes(file), 8), name);
      BufferedImage image = ImageIO.read(file.toFile());
      assertNotNull(image, name);
      assertTrue(image.getWidth() > 100 && image.getHeight() > 100, name);
    }
  }

  private static List<String> idAndErrorType(Path csv) throws Exception {
    List<String> lines = Files.readAllLines(csv);
    List<String> header = Arrays.asList(lines.get(0).split(","));
    int errorColumn = header.indexOf("error_type");
    return lines.stream().skip(1).map(line -> line.split(",", -1)).map(cells -> cells[0] + " " + cells[errorColumn]).toList();
  }
}

package org.isles.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.isles.evaluation.EvaluationHistory;
import org.isles.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code isles history}: three evaluations, the second equal to the first, the third clearly worse. */
class HistoryCommandTest {
  @Test
  void marksOnlyTheSignificantChange(@TempDir Path dir) throws Exception {
    Map<String, Integer> good = new LinkedHashMap<>();
    Map<String, Integer> worse = new LinkedHashMap<>();
    for (int c = 1; c <= 20; c++) {
      good.put("c" + c, 8 + c % 3);
      worse.put("c" + c, 5 + c % 3);
    }
    Path history = dir.resolve("history.csv");
    EvaluationHistory.append(history, EvaluationFolders.write(dir.resolve("monday"), good), "monday", Map.of());
    EvaluationHistory.append(history, EvaluationFolders.write(dir.resolve("tuesday"), good), "tuesday", Map.of("fold_0/seed_0", "abc"));
    EvaluationHistory.append(history, EvaluationFolders.write(dir.resolve("wednesday"), worse), "wednesday", Map.of());
    Path out = dir.resolve("out");
    assertEquals(0, IslesCli.execute("history", history.toString(), "--out", out.toString(), "--bootstrap", "2000"));
    JsonNode changes = Json.read(out.resolve("history.json"), JsonNode.class).get("changes");
    assertEquals(2, changes.size());
    assertFalse(changes.at("/0/mean_dice/significant").asBoolean());
    assertEquals(0.0, changes.at("/0/mean_dice/mean_difference").asDouble());
    assertTrue(changes.at("/1/mean_dice/significant").asBoolean());
    assertTrue(changes.at("/1/mean_dice/mean_difference").asDouble() < 0);
    assertTrue(Files.isRegularFile(out.resolve("history_mean_dice.png")));
    assertTrue(Files.isRegularFile(out.resolve("history_hd95.png")));
  }

  @Test
  void aMissingFileIsAOneLineError(@TempDir Path dir) {
    assertEquals(2, IslesCli.execute("history", dir.resolve("none.csv").toString(), "--out", dir.toString()));
  }
}

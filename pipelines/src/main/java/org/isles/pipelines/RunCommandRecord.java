package org.isles.pipelines;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.nio.file.Path;
import java.util.List;
import org.isles.io.Json;

/**
 * {@code OUT/run.json} ({@link RunLayout#command()}): what {@code isles run} was asked, as absolute
 * paths and the flags' text. Read back to refuse a folder that holds another input's run and by
 * the report to find the input dataset; keys a reader does not know are skipped, so records of
 * older and newer versions read.
 *
 * @param folds null for every fold of the split
 * @param precision null in records made before the setting existed
 * @param compareTo null without {@code --compare-to}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunCommandRecord(String input, String config, List<Integer> folds, List<Integer> seeds, String tta,
    String precision, String thresholds, String runner, String compareTo) {

  public void write(Path file) {
    Json.write(file, this);
  }

  public static RunCommandRecord read(Path file) {
    return Json.read(file, RunCommandRecord.class);
  }
}

package org.isles.planning;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.isles.io.Json;
import org.isles.planning.DatasetFingerprint.CaseFingerprint;
import org.isles.plot.Chart;

/**
 * {@code isles report}: the dataset fingerprint, the plan derived from it, and two histograms
 * (lesion volume, slice thickness) written beside the JSON.
 */
public final class DatasetReport {
  public static final int DEFAULT_BASE_CHANNELS = 32;
  public static final double DEFAULT_MEMORY_BUDGET_GB = 8.0;

  private DatasetReport() {}

  /** Writes {@code out} (JSON) and {@code <out>_lesion_volume.png}, {@code <out>_slice_thickness.png}. */
  public static Map<String, Object> write(List<CaseFingerprint> cases, List<Map<String, Object>> invalid, Path out,
      int baseChannels, double memoryBudgetGb) {
    DatasetFingerprint fingerprint = new DatasetFingerprint(cases);
    ExperimentPlanner.Plan plan = ExperimentPlanner.plan(fingerprint.geometries(), baseChannels, memoryBudgetGb);
    String stem = out.getFileName().toString().replaceFirst("\\.json$", "");
    Path volumePng = out.resolveSibling(stem + "_lesion_volume.png");
    Path thicknessPng = out.resolveSibling(stem + "_slice_thickness.png");
    new Chart("Lesion volume per case", "lesion volume (mL)", "cases")
        .histogram(fingerprint.lesionVolumesMl(), 20)
        .writePng(volumePng);
    new Chart("Slice thickness per case", "coarsest voxel size (mm)", "cases")
        .histogram(fingerprint.sliceThicknessesMm(), 12)
        .writePng(thicknessPng);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("fingerprint", fingerprint.toJson());
    json.put("invalid_cases", invalid);
    json.put("plan", plan.toJson());
    json.put("plots", List.of(volumePng.getFileName().toString(), thicknessPng.getFileName().toString()));
    Json.write(out, json);
    return json;
  }
}

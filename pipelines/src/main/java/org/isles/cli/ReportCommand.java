package org.isles.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.isles.dataset.CaseDiscovery;
import org.isles.planning.DatasetFingerprint.CaseFingerprint;
import org.isles.planning.DatasetReport;
import org.isles.schemas.CaseRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Dataset fingerprint (spacing, shape, orientation, lesion volume and count per case) and an",
      "nnU-Net-like plan (target spacing, patch size for a memory budget), with PNG histograms."
    })
final class ReportCommand implements Callable<Integer> {
  @Option(names = "--input", required = true, description = "ISLES 2022 root.")
  Path input;

  @Option(names = "--out", required = true, description = "Report JSON file; the PNGs go beside it.")
  Path out;

  @Option(names = "--base-channels", defaultValue = "" + DatasetReport.DEFAULT_BASE_CHANNELS, description = "U-Net base channels for the memory estimate (default ${DEFAULT-VALUE}).")
  int baseChannels;

  @Option(names = "--memory-gb", defaultValue = "" + DatasetReport.DEFAULT_MEMORY_BUDGET_GB, description = "Training memory budget in GB (default ${DEFAULT-VALUE}).")
  double memoryGb;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    OptionChecks.of(spec).outputFile("--out", out).atLeast("--base-channels", baseChannels, 1).positive("--memory-gb", memoryGb);
    List<CaseRecord> cases = CaseDiscovery.discover(input);
    List<Map<String, Object>> invalid = new ArrayList<>();
    List<CaseFingerprint> fingerprints =
        cases.parallelStream().filter(CaseRecord::getValid).map(CaseFingerprint::of).toList();
    for (CaseRecord record : cases) {
      if (!record.getValid()) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("case_id", record.getCaseId());
        entry.put("reason", record.getInvalidReason());
        invalid.add(entry);
      }
    }
    if (fingerprints.isEmpty()) {
      throw new IllegalArgumentException("no valid cases under " + input);
    }
    DatasetReport.write(fingerprints, invalid, out, baseChannels, memoryGb);
    System.out.printf("report of %d cases (%d invalid) written to %s%n", fingerprints.size(), invalid.size(), out);
    return 0;
  }
}

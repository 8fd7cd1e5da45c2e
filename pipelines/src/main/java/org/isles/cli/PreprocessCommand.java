package org.isles.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.isles.dataset.CaseDiscovery;
import org.isles.pipelines.preprocess.PreprocessPipeline;
import org.isles.preprocess.PreprocessingSettings;
import org.isles.schemas.CaseRecord;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "preprocess",
    mixinStandardHelpOptions = true,
    description = {
      "Resample and normalize every case of an ISLES 2022 root in parallel.",
      "Writes OUT/<case_id>/{dwi,adc,mask}.nii.gz, case.json and case.avro; failed cases go to OUT/failures.json."
    })
final class PreprocessCommand implements Callable<Integer> {
  @Option(names = "--input", required = true, description = "ISLES 2022 root (rawdata/ and derivatives/).")
  Path input;

  @Option(names = "--out", required = true, description = "Output directory.")
  Path out;

  @ArgGroup(exclusive = true)
  SpacingChoice spacing = new SpacingChoice();

  static final class SpacingChoice {
    @Option(names = "--spacing", split = ",", description = "Target voxel size in mm, x,y,z (default 1,1,1).")
    double[] spacingMm;

    @Option(names = "--max-zoom-mm", description = "Only raise axes coarser than this to this size; no down-sampling.")
    Double maxZoomMm;
  }

  @Option(names = "--flair", description = "Add FLAIR as a third channel (off by default).")
  boolean flair;

  @Mixin RunnerOptions runner;

  @Override
  public Integer call() {
    PreprocessingSettings settings = settings(spacing.spacingMm, spacing.maxZoomMm).withFlair(flair);
    List<CaseRecord> cases = CaseDiscovery.discover(input);
    if (cases.isEmpty()) {
      throw new IllegalArgumentException("no cases found under " + input + " (expected rawdata/sub-*/ses-*/...)");
    }
    PreprocessPipeline.Outcome outcome = PreprocessPipeline.run(cases, settings, out, runner.settings());
    int failed = outcome.failures().size();
    System.out.printf("preprocessed %d of %d cases into %s%s%n", outcome.cases() - outcome.skipped() - failed, outcome.cases(), out,
        outcome.skipped() > 0 ? " (" + outcome.skipped() + " were already there)" : "");
    if (failed > 0) {
      System.err.printf("%d cases failed; see %s%n", failed, out.resolve(PreprocessPipeline.FAILURES_FILE));
      return 1;
    }
    return 0;
  }

  static PreprocessingSettings settings(double[] spacingMm, Double maxZoomMm) {
    if (maxZoomMm != null) {
      return PreprocessingSettings.maxZoom(maxZoomMm);
    }
    double[] mm = spacingMm == null ? new double[] {1, 1, 1} : spacingMm;
    if (mm.length != 3) {
      throw new IllegalArgumentException("--spacing needs three values x,y,z, got " + mm.length);
    }
    return PreprocessingSettings.spacing(mm);
  }
}

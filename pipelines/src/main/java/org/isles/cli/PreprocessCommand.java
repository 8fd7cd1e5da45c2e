package org.isles.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.isles.dataset.CaseDiscovery;
import org.isles.pipelines.OutputFolder;
import org.isles.pipelines.RunLayout;
import org.isles.pipelines.RunnerSettings;
import org.isles.pipelines.preprocess.PreprocessPipeline;
import org.isles.preprocess.CaseMemoryBudget;
import org.isles.preprocess.PreprocessingSettings;
import org.isles.preprocess.TargetSpacing;
import org.isles.schemas.CaseRecord;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "preprocess",
    mixinStandardHelpOptions = true,
    description = {
      "Resample and normalize every case of an ISLES 2022 root in parallel.",
      "Writes OUT/<case_id>/{dwi,adc,mask}.nii.gz, case.json and case.avro; failed cases go to OUT/failures.json."
    })
final class PreprocessCommand implements Callable<Integer> {
  /** The option's name, which isles run shares. */
  static final String CASE_MEMORY_BUDGET = "--case-memory-budget";

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

  @Option(names = CASE_MEMORY_BUDGET, defaultValue = CaseMemoryBudget.AUTO, paramLabel = "SIZE",
      description = {"Heap one case may need, e.g. 4g or 512m. A case whose headers say it would need more",
          "(inputs, resampled outputs, intermediates) is refused before it is read (default: ${DEFAULT-VALUE},",
          CaseMemoryBudget.HEAP_SHARE + " of the JVM heap divided by the parallel workers)."})
  String caseMemoryBudget;

  @Option(names = "--overwrite", description = "Replace the cases OUT holds (those of another input are refused without this flag).")
  boolean overwrite;

  @Mixin RunnerOptions runner;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    OptionChecks.of(spec).outputDirectory("--out", out)
        .accepted("--spacing", spacing.spacingMm, TargetSpacing.Fixed::new).accepted("--max-zoom-mm", spacing.maxZoomMm, TargetSpacing::maxZoom)
        .accepted(CASE_MEMORY_BUDGET, caseMemoryBudget, text -> CaseMemoryBudget.parse(text, 1)).runner(runner);
    return run(new Request(input, out, settings(spacing.spacingMm, spacing.maxZoomMm).withFlair(flair), caseMemoryBudget, overwrite,
        runner.settings())).exitCode();
  }

  /** What a preprocessing run needs; {@code caseMemoryBudget} as the option takes it (auto, 4g, 512m). */
  record Request(Path input, Path out, PreprocessingSettings settings, String caseMemoryBudget, boolean overwrite, RunnerSettings runner) {}

  /** Preprocesses every case of the input into {@code out}, printing what it did. */
  static StageStatus run(Request request) {
    CaseMemoryBudget budget = CaseMemoryBudget.parse(request.caseMemoryBudget(), request.runner().effectiveParallelism());
    List<CaseRecord> cases = CaseDiscovery.discover(request.input());
    if (cases.isEmpty()) {
      throw new IllegalArgumentException("no cases found under " + request.input() + " (expected rawdata/sub-*/ses-*/...)");
    }
    Path out = request.out();
    PreprocessPipeline.Outcome outcome = PreprocessPipeline.run(cases, request.settings(), budget,
        new OutputFolder(out, request.input(), request.overwrite()), request.runner());
    int failed = outcome.failures().size();
    System.out.printf("preprocessed %d of %d cases into %s%s%n", outcome.cases() - outcome.skipped() - failed, outcome.cases(), out,
        outcome.skipped() > 0 ? " (" + outcome.skipped() + " were already there)" : "");
    if (failed > 0) {
      System.err.printf("%d cases failed; see %s%n", failed, RunLayout.failures(out));
    }
    return StageStatus.of(failed > 0);
  }

  static PreprocessingSettings settings(double[] spacingMm, Double maxZoomMm) {
    if (maxZoomMm != null) {
      return PreprocessingSettings.maxZoom(maxZoomMm);
    }
    return PreprocessingSettings.spacing(spacingMm == null ? new double[] {1, 1, 1} : spacingMm);
  }
}

package org.isles.pipelines.preprocess;

import java.nio.file.Path;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.isles.pipelines.CaseFailure;
import org.isles.pipelines.CaseWork;
import org.isles.pipelines.PerCase;
import org.isles.preprocess.CaseMemoryBudget;
import org.isles.preprocess.CasePreprocessor;
import org.isles.preprocess.PreprocessingSettings;
import org.isles.schemas.CaseRecord;
import org.isles.schemas.ProcessedCase;

/**
 * Resamples and normalizes each case and writes its files under {@code outDir/<case_id>/}. Cases
 * that fail go to the failures with their cause; the others go on.
 */
public final class PreprocessCases
    extends PTransform<PCollection<CaseRecord>, WithFailures.Result<PCollection<ProcessedCase>, CaseFailure>> {
  /** The stage label: its progress and the namespace of its {@link PerCase} counters. */
  public static final String PROGRESS = "preprocess";

  private final PreprocessingSettings settings;
  private final CaseMemoryBudget budget;
  private final String outDir;

  public PreprocessCases(PreprocessingSettings settings, CaseMemoryBudget budget, Path outDir) {
    this.settings = settings;
    this.budget = budget;
    this.outDir = outDir.toAbsolutePath().toString();
  }

  @Override
  public WithFailures.Result<PCollection<ProcessedCase>, CaseFailure> expand(PCollection<CaseRecord> cases) {
    return cases.apply(
        "ResampleAndNormalize",
        PerCase.of(PROGRESS, new Preprocess(settings, budget, outDir))
            .identifiedBy(CaseRecord::getCaseId, CaseRecord::getDwiPath)
            .withOutputCoder(AvroCoder.of(ProcessedCase.class)));
  }

  private static final class Preprocess implements CaseWork<CaseRecord, ProcessedCase> {
    private final PreprocessingSettings settings;
    private final CaseMemoryBudget budget;
    private final String outDir;
    private transient CasePreprocessor preprocessor;

    Preprocess(PreprocessingSettings settings, CaseMemoryBudget budget, String outDir) {
      this.settings = settings;
      this.budget = budget;
      this.outDir = outDir;
    }

    @Override
    public void setup() {
      preprocessor = new CasePreprocessor(settings, budget);
    }

    @Override
    public ProcessedCase process(CaseRecord record) {
      return preprocessor.process(record, Path.of(outDir));
    }
  }
}

package org.isles.pipelines.preprocess;

import java.nio.file.Path;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.isles.pipelines.CaseFailure;
import org.isles.pipelines.StageRun;
import org.isles.preprocess.CasePreprocessor;
import org.isles.preprocess.PreprocessingSettings;
import org.isles.schemas.CaseRecord;
import org.isles.schemas.ProcessedCase;

/**
 * Resamples and normalizes each case and writes its files under {@code outDir/<case_id>/}. Cases
 * that fail go to {@link #FAILED} with their cause; the others go on.
 */
public final class PreprocessCases extends PTransform<PCollection<CaseRecord>, PCollectionTuple> {
  public static final TupleTag<ProcessedCase> PROCESSED = new TupleTag<>() {};
  public static final TupleTag<CaseFailure> FAILED = new TupleTag<>() {};
  static final String PROGRESS = "preprocess";

  private final PreprocessingSettings settings;
  private final String outDir;

  public PreprocessCases(PreprocessingSettings settings, Path outDir) {
    this.settings = settings;
    this.outDir = outDir.toAbsolutePath().toString();
  }

  @Override
  public PCollectionTuple expand(PCollection<CaseRecord> cases) {
    PCollectionTuple results =
        cases.apply(
            "ResampleAndNormalize",
            ParDo.of(new PreprocessFn(settings, outDir)).withOutputTags(PROCESSED, TupleTagList.of(FAILED)));
    results.get(PROCESSED).setCoder(AvroCoder.of(ProcessedCase.class));
    results.get(FAILED).setCoder(SerializableCoder.of(CaseFailure.class));
    return results;
  }

  private static final class PreprocessFn extends DoFn<CaseRecord, ProcessedCase> {
    private final PreprocessingSettings settings;
    private final String outDir;
    private transient CasePreprocessor preprocessor;

    PreprocessFn(PreprocessingSettings settings, String outDir) {
      this.settings = settings;
      this.outDir = outDir;
    }

    @Setup
    public void setup() {
      preprocessor = new CasePreprocessor(settings);
    }

    @ProcessElement
    public void process(@Element CaseRecord record, MultiOutputReceiver out) {
      String caseId = record.getCaseId();
      try {
        out.get(PROCESSED).output(preprocessor.process(record, Path.of(outDir)));
        StageRun.done(PROGRESS).inc();
      } catch (RuntimeException e) {
        out.get(FAILED).output(CaseFailure.of(caseId, e));
        StageRun.failed(PROGRESS).inc();
      }
    }
  }
}

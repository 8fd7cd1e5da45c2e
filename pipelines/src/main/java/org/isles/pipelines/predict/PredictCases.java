package org.isles.pipelines.predict;

import java.nio.file.Path;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.isles.model.inference.CasePredictor;
import org.isles.model.inference.ModelEnsemble;
import org.isles.model.run.TrainedRun;
import org.isles.pipelines.CaseFailure;
import org.isles.pipelines.StageRun;
import org.isles.schemas.CaseRecord;
import org.isles.volume.Volume;

/**
 * Predicts each raw case with a run's ensemble and writes its probabilities and mask on the case's
 * DWI grid (see {@link PredictionFiles}). The ids of written cases go to {@link #PREDICTED}; cases
 * that fail go to {@link #FAILED} with their cause, and the others go on.
 */
public final class PredictCases extends PTransform<PCollection<CaseRecord>, PCollectionTuple> {
  public static final TupleTag<String> PREDICTED = new TupleTag<>() {};
  public static final TupleTag<CaseFailure> FAILED = new TupleTag<>() {};
  static final String PROGRESS = "predict";

  private final PredictionSettings settings;
  private final String outDir;

  public PredictCases(PredictionSettings settings, Path outDir) {
    this.settings = settings;
    this.outDir = outDir.toAbsolutePath().toString();
  }

  @Override
  public PCollectionTuple expand(PCollection<CaseRecord> cases) {
    return cases.apply(
        "PredictAndWrite",
        ParDo.of(new PredictFn(settings, outDir)).withOutputTags(PREDICTED, TupleTagList.of(FAILED)));
  }

  private static final class PredictFn extends DoFn<CaseRecord, String> {
    private final PredictionSettings settings;
    private final String outDir;
    private transient ModelEnsemble ensemble;
    private transient CasePredictor predictor;

    PredictFn(PredictionSettings settings, String outDir) {
      this.settings = settings;
      this.outDir = outDir;
    }

    @Setup
    public void setup() {
      TrainedRun run = TrainedRun.open(settings.run());
      ensemble = SharedEnsembles.acquire(run, settings);
      predictor = new CasePredictor(run.recipe(), ensemble, settings.inference());
    }

    @ProcessElement
    public void process(@Element CaseRecord record, MultiOutputReceiver out) {
      String caseId = record.getCaseId();
      try {
        Volume probabilities = predictor.predict(record);
        PredictionFiles.write(Path.of(outDir), caseId, probabilities, settings.threshold());
        out.get(PREDICTED).output(caseId);
        StageRun.done(PROGRESS).inc();
      } catch (RuntimeException e) {
        out.get(FAILED).output(CaseFailure.of(caseId, e));
        StageRun.failed(PROGRESS).inc();
      }
    }

    @Teardown
    public void teardown() {
      if (ensemble != null) {
        SharedEnsembles.release(ensemble);
        ensemble = null;
      }
    }
  }
}

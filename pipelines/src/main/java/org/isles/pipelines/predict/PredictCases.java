package org.isles.pipelines.predict;

import java.nio.file.Path;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.isles.model.inference.CasePredictor;
import org.isles.model.inference.ModelEnsemble;
import org.isles.model.run.TrainedRun;
import org.isles.pipelines.CaseFailure;
import org.isles.pipelines.CaseWork;
import org.isles.pipelines.PerCase;
import org.isles.schemas.CaseRecord;
import org.isles.volume.Volume;

/**
 * Predicts each raw case with a run's ensemble and writes its probabilities and mask on the case's
 * DWI grid (see {@link PredictionFiles}). The output holds the ids of written cases; cases that
 * fail go to the failures with their cause, and the others go on.
 */
public final class PredictCases extends PTransform<PCollection<CaseRecord>, WithFailures.Result<PCollection<String>, CaseFailure>> {
  /** The stage label: its progress and the namespace of its {@link PerCase} counters. */
  public static final String PROGRESS = "predict";

  private final PredictionSettings settings;
  private final String outDir;

  public PredictCases(PredictionSettings settings, Path outDir) {
    this.settings = settings;
    this.outDir = outDir.toAbsolutePath().toString();
  }

  @Override
  public WithFailures.Result<PCollection<String>, CaseFailure> expand(PCollection<CaseRecord> cases) {
    return cases.apply(
        "PredictAndWrite",
        PerCase.of(PROGRESS, new Predict(settings, outDir))
            .identifiedBy(CaseRecord::getCaseId, CaseRecord::getDwiPath)
            .withOutputCoder(StringUtf8Coder.of()));
  }

  /** Loads the run's models once per JVM ({@link SharedEnsembles}), then predicts case after case. */
  private static final class Predict implements CaseWork<CaseRecord, String> {
    private final PredictionSettings settings;
    private final String outDir;
    private transient ModelEnsemble ensemble;
    private transient CasePredictor predictor;

    Predict(PredictionSettings settings, String outDir) {
      this.settings = settings;
      this.outDir = outDir;
    }

    @Override
    public void setup() {
      TrainedRun run = TrainedRun.open(settings.run());
      ensemble = SharedEnsembles.acquire(run, settings);
      predictor = new CasePredictor(ensemble, settings.inference());
    }

    @Override
    public String process(CaseRecord record) {
      Volume probabilities = predictor.predict(record);
      PredictionFiles.write(Path.of(outDir), record.getCaseId(), probabilities, settings.threshold());
      return record.getCaseId();
    }

    @Override
    public void teardown() {
      if (ensemble != null) {
        SharedEnsembles.release(ensemble);
        ensemble = null;
        predictor = null;
      }
    }
  }
}

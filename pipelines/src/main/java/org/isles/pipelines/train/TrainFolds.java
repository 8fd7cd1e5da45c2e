package org.isles.pipelines.train;

import java.nio.file.Path;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.isles.pipelines.CaseFailure;
import org.isles.pipelines.CaseWork;
import org.isles.pipelines.PerCase;

/**
 * Trains one model per (fold, seed) job with {@link JobTrainer}. Jobs that fail go to the failures
 * (their id is "fold_k/seed_s"); the others go on.
 */
public final class TrainFolds extends PTransform<PCollection<TrainJob>, WithFailures.Result<PCollection<TrainedModel>, CaseFailure>> {
  /** The stage label: its progress and the namespace of its {@link PerCase} counters. */
  public static final String PROGRESS = "train";

  private final TrainingSettings settings;

  public TrainFolds(TrainingSettings settings) {
    this.settings = settings;
  }

  @Override
  public WithFailures.Result<PCollection<TrainedModel>, CaseFailure> expand(PCollection<TrainJob> jobs) {
    String runDir = settings.runDir();
    return jobs.apply(
        "TrainModel",
        PerCase.of(PROGRESS, new Train(settings))
            .identifiedBy(TrainJob::id, job -> job.dir(Path.of(runDir)).toString())
            .withOutputCoder(SerializableCoder.of(TrainedModel.class)));
  }

  private static final class Train implements CaseWork<TrainJob, TrainedModel> {
    private final TrainingSettings settings;

    Train(TrainingSettings settings) {
      this.settings = settings;
    }

    @Override
    public TrainedModel process(TrainJob job) {
      return new JobTrainer(settings).train(job);
    }
  }
}

package org.isles.pipelines.evaluate;

import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.isles.evaluation.CasePair;
import org.isles.evaluation.CaseScorer;
import org.isles.evaluation.EvaluationRules;
import org.isles.pipelines.CaseFailure;
import org.isles.pipelines.StageRun;
import org.isles.schemas.CaseEvaluation;

/**
 * Scores every case at every threshold from one read of its files. Cases that cannot be scored (a
 * prediction on another grid, probabilities outside [0, 1], an unreadable file) go to
 * {@link #FAILED} with their cause; the others go on.
 */
public final class ScoreCases extends PTransform<PCollection<CasePair>, PCollectionTuple> {
  public static final TupleTag<CaseEvaluation> SCORED = new TupleTag<>() {};
  public static final TupleTag<CaseFailure> FAILED = new TupleTag<>() {};
  static final String PROGRESS = "evaluate";

  private final EvaluationRules rules;

  public ScoreCases(EvaluationRules rules) {
    this.rules = rules;
  }

  @Override
  public PCollectionTuple expand(PCollection<CasePair> pairs) {
    PCollectionTuple results =
        pairs.apply("ScoreAtEveryThreshold", ParDo.of(new ScoreFn(rules)).withOutputTags(SCORED, TupleTagList.of(FAILED)));
    results.get(SCORED).setCoder(AvroCoder.of(CaseEvaluation.class));
    results.get(FAILED).setCoder(SerializableCoder.of(CaseFailure.class));
    return results;
  }

  private static final class ScoreFn extends DoFn<CasePair, CaseEvaluation> {
    private final EvaluationRules rules;
    private transient CaseScorer scorer;

    ScoreFn(EvaluationRules rules) {
      this.rules = rules;
    }

    @Setup
    public void setup() {
      scorer = new CaseScorer(rules);
    }

    @ProcessElement
    public void process(@Element CasePair pair, MultiOutputReceiver out) {
      try {
        out.get(SCORED).output(scorer.score(pair));
        StageRun.done(PROGRESS).inc();
      } catch (RuntimeException e) {
        out.get(FAILED).output(CaseFailure.of(pair.caseId(), e));
        StageRun.failed(PROGRESS).inc();
      }
    }
  }
}

package org.isles.pipelines.evaluate;

import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.isles.evaluation.CasePair;
import org.isles.evaluation.CaseScorer;
import org.isles.evaluation.EvaluationRules;
import org.isles.pipelines.CaseFailure;
import org.isles.pipelines.CaseWork;
import org.isles.pipelines.PerCase;
import org.isles.schemas.CaseEvaluation;

/**
 * Scores every case at every threshold from one read of its files. Cases that cannot be scored (a
 * prediction on another grid, probabilities outside [0, 1], an unreadable file) go to the failures
 * with their cause; the others go on.
 */
public final class ScoreCases
    extends PTransform<PCollection<CasePair>, WithFailures.Result<PCollection<CaseEvaluation>, CaseFailure>> {
  /** The stage label: its progress and the namespace of its {@link PerCase} counters. */
  public static final String PROGRESS = "evaluate";

  private final EvaluationRules rules;

  public ScoreCases(EvaluationRules rules) {
    this.rules = rules;
  }

  @Override
  public WithFailures.Result<PCollection<CaseEvaluation>, CaseFailure> expand(PCollection<CasePair> pairs) {
    return pairs.apply(
        "ScoreAtEveryThreshold",
        PerCase.of(PROGRESS, new Score(rules))
            .identifiedBy(CasePair::caseId, pair -> pair.predictionMissing() ? pair.groundTruthPath() : pair.predictionPath())
            .withOutputCoder(AvroCoder.of(CaseEvaluation.class)));
  }

  private static final class Score implements CaseWork<CasePair, CaseEvaluation> {
    private final EvaluationRules rules;
    private transient CaseScorer scorer;

    Score(EvaluationRules rules) {
      this.rules = rules;
    }

    @Override
    public void setup() {
      scorer = new CaseScorer(rules);
    }

    @Override
    public CaseEvaluation process(CasePair pair) {
      return scorer.score(pair);
    }
  }
}

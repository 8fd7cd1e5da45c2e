package org.isles.pipelines.evaluate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PDone;
import org.isles.evaluation.CasePair;
import org.isles.evaluation.EvaluationRules;
import org.isles.evaluation.SelectedSettings;
import org.isles.postprocess.PostProcessingGrid;
import org.isles.schemas.CaseEvaluation;

/**
 * Scores the cases under every post-processing of {@link PostProcessingGrid} (each candidate one
 * {@link ScoreCases}, so the same per-case work and the same post-processing as the evaluation
 * itself), gathers them, and writes the {@link SelectedSettings} with the highest mean Dice to
 * {@value SelectedSettings#FILE} (none under broken_predictions refuse while a prediction is missing
 * or broken). Meant for validation cases; cases that fail are left out of every
 * candidate alike (the main evaluation reports them).
 */
final class ChooseSettings extends PTransform<PCollection<CasePair>, PDone> {
  private final EvaluationRules rules;
  private final String file;
  private final String chosenOn;

  ChooseSettings(EvaluationRules rules, Path file, String chosenOn) {
    this.rules = rules;
    this.file = file.toAbsolutePath().toString();
    this.chosenOn = chosenOn;
  }

  @Override
  public PDone expand(PCollection<CasePair> pairs) {
    KvCoder<Integer, CaseEvaluation> tagged = KvCoder.of(VarIntCoder.of(), AvroCoder.of(CaseEvaluation.class));
    PCollectionList<KV<Integer, CaseEvaluation>> candidates = PCollectionList.empty(pairs.getPipeline());
    for (int c = 0; c < PostProcessingGrid.CANDIDATES.size(); c++) {
      EvaluationRules candidate = rules.with(rules.thresholds(), PostProcessingGrid.CANDIDATES.get(c));
      candidates = candidates.and(
          pairs
              .apply("ScoreCandidate" + c, new ScoreCases(candidate))
              .output()
              .apply("TagCandidate" + c, WithKeys.of(c))
              .setCoder(tagged));
    }
    candidates
        .apply("AllCandidates", Flatten.pCollections())
        .setCoder(tagged)
        .apply("OneGroup", WithKeys.of(""))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), tagged))
        .apply("GatherCandidates", GroupByKey.create())
        .apply("WriteSelection", ParDo.of(new ChooseFn(rules, file, chosenOn)));
    return PDone.in(pairs.getPipeline());
  }

  private static final class ChooseFn extends DoFn<KV<String, Iterable<KV<Integer, CaseEvaluation>>>, Void> {
    private final EvaluationRules rules;
    private final String file;
    private final String chosenOn;

    ChooseFn(EvaluationRules rules, String file, String chosenOn) {
      this.rules = rules;
      this.file = file;
      this.chosenOn = chosenOn;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<KV<Integer, CaseEvaluation>>> all) {
      List<List<CaseEvaluation>> byCandidate = new ArrayList<>();
      PostProcessingGrid.CANDIDATES.forEach(candidate -> byCandidate.add(new ArrayList<>()));
      all.getValue().forEach(scored -> byCandidate.get(scored.getKey()).add(scored.getValue()));
      byCandidate.forEach(cases -> cases.sort(Comparator.comparing(CaseEvaluation::getCaseId)));
      SelectedSettings.choose(byCandidate, rules, chosenOn).ifPresent(selected -> selected.write(Path.of(file)));
    }
  }
}

package org.isles.pipelines.evaluate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.PDone;
import org.isles.evaluation.EvaluationFiles;
import org.isles.evaluation.EvaluationRules;
import org.isles.evaluation.SelectedSettings;
import org.isles.pipelines.CaseFailure;
import org.isles.schemas.CaseEvaluation;

/**
 * Combines the scored cases into one list, sorted by case id so every runner sums in the same
 * order, and writes summary.json, metrics.json, cases.csv and cases.avro. Nothing is written when
 * no case was scored.
 */
public final class WriteSummary extends PTransform<PCollection<CaseEvaluation>, PDone> {
  private final EvaluationRules rules;
  private final String outDir;
  private final List<String> missingPredictions;
  private final PCollectionView<List<CaseFailure>> failures;
  private final SelectedSettings selected;
  private final PCollectionView<List<CaseEvaluation>> atSelected;

  /** @param failures the run's failed cases, listed in the summary and left out of its numbers */
  public WriteSummary(EvaluationRules rules, Path outDir, List<String> missingPredictions, PCollectionView<List<CaseFailure>> failures) {
    this(rules, outDir, missingPredictions, failures, null, null);
  }

  /**
   * @param selected settings chosen on validation cases, or null
   * @param atSelected the cases scored at {@code selected} (see {@link #collect}), or null
   */
  public WriteSummary(EvaluationRules rules, Path outDir, List<String> missingPredictions, PCollectionView<List<CaseFailure>> failures,
      SelectedSettings selected, PCollectionView<List<CaseEvaluation>> atSelected) {
    this.rules = rules;
    this.outDir = outDir.toAbsolutePath().toString();
    this.missingPredictions = List.copyOf(missingPredictions);
    this.failures = failures;
    this.selected = selected;
    this.atSelected = atSelected;
  }

  /** Every scored case in one list, sorted by case id, as a side input. */
  public static PCollectionView<List<CaseEvaluation>> collect(PCollection<CaseEvaluation> evaluations, String name) {
    return evaluations.apply(name, Combine.globally(new CollectCases()).asSingletonView());
  }

  @Override
  public PDone expand(PCollection<CaseEvaluation> evaluations) {
    ParDo.SingleOutput<List<CaseEvaluation>, Void> write =
        ParDo.of(new WriteFn(rules, outDir, missingPredictions, failures, selected, atSelected)).withSideInputs(failures);
    evaluations
        .apply("CollectCases", Combine.globally(new CollectCases()))
        .apply("WriteEvaluationFiles", atSelected == null ? write : write.withSideInputs(atSelected));
    return PDone.in(evaluations.getPipeline());
  }

  private static final class CollectCases extends Combine.CombineFn<CaseEvaluation, List<CaseEvaluation>, List<CaseEvaluation>> {
    @Override
    public List<CaseEvaluation> createAccumulator() {
      return new ArrayList<>();
    }

    @Override
    public Coder<List<CaseEvaluation>> getAccumulatorCoder(CoderRegistry registry, Coder<CaseEvaluation> input) {
      return ListCoder.of(input);
    }

    @Override
    public Coder<List<CaseEvaluation>> getDefaultOutputCoder(CoderRegistry registry, Coder<CaseEvaluation> input) {
      return ListCoder.of(input);
    }

    @Override
    public List<CaseEvaluation> addInput(List<CaseEvaluation> accumulator, CaseEvaluation evaluation) {
      accumulator.add(evaluation);
      return accumulator;
    }

    @Override
    public List<CaseEvaluation> mergeAccumulators(Iterable<List<CaseEvaluation>> accumulators) {
      List<CaseEvaluation> merged = new ArrayList<>();
      accumulators.forEach(merged::addAll);
      return merged;
    }

    @Override
    public List<CaseEvaluation> extractOutput(List<CaseEvaluation> accumulator) {
      List<CaseEvaluation> sorted = new ArrayList<>(accumulator);
      sorted.sort(Comparator.comparing(CaseEvaluation::getCaseId));
      return sorted;
    }
  }

  private static final class WriteFn extends DoFn<List<CaseEvaluation>, Void> {
    private final EvaluationRules rules;
    private final String outDir;
    private final List<String> missingPredictions;
    private final PCollectionView<List<CaseFailure>> failures;
    private final SelectedSettings selected;
    private final PCollectionView<List<CaseEvaluation>> atSelected;

    WriteFn(EvaluationRules rules, String outDir, List<String> missingPredictions, PCollectionView<List<CaseFailure>> failures,
        SelectedSettings selected, PCollectionView<List<CaseEvaluation>> atSelected) {
      this.rules = rules;
      this.outDir = outDir;
      this.missingPredictions = missingPredictions;
      this.failures = failures;
      this.selected = selected;
      this.atSelected = atSelected;
    }

    @ProcessElement
    public void process(@Element List<CaseEvaluation> evaluations, ProcessContext context) {
      if (evaluations.isEmpty()) {
        return;
      }
      List<String> failed = context.sideInput(failures).stream().map(CaseFailure::caseId).toList();
      List<CaseEvaluation> scoredAtSelected = atSelected == null ? List.of() : context.sideInput(atSelected);
      EvaluationFiles.write(Path.of(outDir), evaluations, rules, missingPredictions, failed, selected, scoredAtSelected);
    }
  }
}

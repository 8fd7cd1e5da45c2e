package org.isles.pipelines;

import java.nio.file.Path;
import java.util.ArrayList;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.ListCoder;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.isles.io.Json;

/** Gathers the failed cases of a run into one JSON file (an empty list when none failed). */
public final class WriteFailures extends PTransform<PCollection<CaseFailure>, PDone> {
  private final String file;

  public WriteFailures(Path file) {
    this.file = file.toAbsolutePath().toString();
  }

  @Override
  public PDone expand(PCollection<CaseFailure> failures) {
    // The input's coder is the caller's to set: once a collection is an input, Beam refuses changes to it.
    failures
        .apply("CollectFailures", Combine.globally(new ToList()))
        .apply("WriteFailuresJson", ParDo.of(new WriteFn(file)));
    return PDone.in(failures.getPipeline());
  }

  private static final class ToList extends Combine.CombineFn<CaseFailure, List<CaseFailure>, List<CaseFailure>> {
    @Override
    public List<CaseFailure> createAccumulator() {
      return new ArrayList<>();
    }

    @Override
    public Coder<List<CaseFailure>> getAccumulatorCoder(CoderRegistry registry, Coder<CaseFailure> input) {
      return ListCoder.of(input);
    }

    @Override
    public Coder<List<CaseFailure>> getDefaultOutputCoder(CoderRegistry registry, Coder<CaseFailure> input) {
      return ListCoder.of(input);
    }

    @Override
    public List<CaseFailure> addInput(List<CaseFailure> accumulator, CaseFailure failure) {
      accumulator.add(failure);
      return accumulator;
    }

    @Override
    public List<CaseFailure> mergeAccumulators(Iterable<List<CaseFailure>> accumulators) {
      List<CaseFailure> merged = new ArrayList<>();
      accumulators.forEach(merged::addAll);
      return merged;
    }

    @Override
    public List<CaseFailure> extractOutput(List<CaseFailure> accumulator) {
      List<CaseFailure> sorted = new ArrayList<>(accumulator);
      sorted.sort(Comparator.comparing(CaseFailure::caseId));
      return sorted;
    }
  }

  private static final class WriteFn extends DoFn<List<CaseFailure>, Void> {
    private final String file;

    WriteFn(String file) {
      this.file = file;
    }

    @ProcessElement
    public void process(@Element List<CaseFailure> failures) {
      List<Map<String, Object>> json = failures.stream().map(CaseFailure::toJson).toList();
      Json.write(Path.of(file), json);
    }
  }
}

package org.isles.pipelines.evaluate;

import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.isles.evaluation.CasePair;

/**
 * The (ground truth, prediction) pairs of a run, spread over the workers: each case is one unit of
 * work. Pairing happens on the driver because it only lists folders; the volumes are read where
 * they are scored.
 */
public final class ReadCasePairs extends PTransform<PBegin, PCollection<CasePair>> {
  private final List<CasePair> pairs;

  public ReadCasePairs(List<CasePair> pairs) {
    this.pairs = List.copyOf(pairs);
  }

  @Override
  public PCollection<CasePair> expand(PBegin begin) {
    return begin
        .apply("ListPairs", Create.of(pairs).withCoder(SerializableCoder.of(CasePair.class)))
        .apply("SpreadOverWorkers", Reshuffle.viaRandomKey());
  }
}

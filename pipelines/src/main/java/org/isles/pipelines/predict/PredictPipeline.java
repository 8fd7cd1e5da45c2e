package org.isles.pipelines.predict;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.isles.io.Json;
import org.isles.model.run.TrainedRun;
import org.isles.pipelines.CaseFailure;
import org.isles.pipelines.Progress;
import org.isles.pipelines.RunnerSettings;
import org.isles.pipelines.WriteFailures;
import org.isles.schemas.CaseRecord;

/**
 * Predicts cases with a trained run's ensemble, one case per unit of work. Cases whose outputs an
 * earlier run already wrote are skipped, so an interrupted run resumes where it stopped.
 */
public final class PredictPipeline {
  public static final String FAILURES_FILE = "failures.json";
  public static final String SETTINGS_FILE = "prediction.json";

  private PredictPipeline() {}

  /** What a run did: cases asked for, cases skipped as already predicted, and the failures. */
  public record Outcome(int cases, int skipped, List<?> failures) {
    public int predicted() {
      return cases - skipped - failures.size();
    }
  }

  public static Outcome run(List<CaseRecord> cases, PredictionSettings settings, Path outDir, RunnerSettings runner) {
    TrainedRun run = TrainedRun.open(settings.run());
    Json.write(outDir.resolve(SETTINGS_FILE), settings.toJson(run));
    return predict(List.of(new Shard(cases, settings)), outDir, runner);
  }

  /**
   * The out-of-fold set: each fold's validation cases predicted by that fold's models, all folds in
   * one pipeline (one branch per fold, each loading only its fold's ensemble) into one folder.
   *
   * @param byFold fold to its validation cases
   * @param settings the inference of every fold; its model list is replaced by each fold's models
   */
  public static Outcome runOutOfFold(Map<Integer, List<CaseRecord>> byFold, PredictionSettings settings, Path outDir,
      RunnerSettings runner) {
    TrainedRun run = TrainedRun.open(settings.run());
    List<Shard> shards = new ArrayList<>();
    List<Map<String, Object>> folds = new ArrayList<>();
    byFold.forEach((fold, cases) -> {
      PredictionSettings foldSettings = settings.withModels(run.modelsOfFold(fold));
      shards.add(new Shard(cases, foldSettings));
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("fold", fold);
      json.put("cases", cases.stream().map(CaseRecord::getCaseId).toList());
      json.putAll(foldSettings.toJson(run));
      folds.add(json);
    });
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("cases", "out of fold: each fold's validation cases, predicted by that fold's models");
    json.put("folds", folds);
    Json.write(outDir.resolve(SETTINGS_FILE), json);
    return predict(shards, outDir, runner);
  }

  /** Cases predicted with one settings (one ensemble). */
  private record Shard(List<CaseRecord> cases, PredictionSettings settings) {}

  private static Outcome predict(List<Shard> shards, Path outDir, RunnerSettings runner) {
    Pipeline pipeline = Pipeline.create(runner.pipelineOptions("isles-predict"));
    PCollectionList<CaseFailure> failed = PCollectionList.empty(pipeline);
    int cases = 0;
    int todoCount = 0;
    for (int n = 0; n < shards.size(); n++) {
      Shard shard = shards.get(n);
      List<CaseRecord> todo = shard.cases().stream().filter(c -> !PredictionFiles.exist(outDir, c.getCaseId())).toList();
      cases += shard.cases().size();
      todoCount += todo.size();
      String suffix = shards.size() == 1 ? "" : "_" + n;
      PCollectionTuple results =
          pipeline
              .apply("ReadCases" + suffix, Create.of(todo).withCoder(AvroCoder.of(CaseRecord.class)))
              .apply("PredictCases" + suffix, new PredictCases(shard.settings(), outDir));
      results.get(PredictCases.PREDICTED).setCoder(StringUtf8Coder.of());
      failed = failed.and(results.get(PredictCases.FAILED).setCoder(SerializableCoder.of(CaseFailure.class)));
    }
    failed
        .apply("AllFailures", Flatten.pCollections())
        .setCoder(SerializableCoder.of(CaseFailure.class))
        .apply("WriteFailures", new WriteFailures(outDir.resolve(FAILURES_FILE)));
    Progress.start(PredictCases.PROGRESS, todoCount);
    pipeline.run().waitUntilFinish();
    List<?> failures = Json.read(outDir.resolve(FAILURES_FILE), List.class);
    return new Outcome(cases, cases - todoCount, failures);
  }
}

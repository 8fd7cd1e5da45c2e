package org.isles.pipelines.predict;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.isles.io.Json;
import org.isles.model.run.TrainedRun;
import org.isles.pipelines.CaseFailure;
import org.isles.pipelines.OutputFolder;
import org.isles.pipelines.RunLayout;
import org.isles.pipelines.RunnerSettings;
import org.isles.pipelines.StageRun;
import org.isles.pipelines.WriteFailures;
import org.isles.schemas.CaseRecord;

/**
 * Predicts cases with a trained run's ensemble, one case per unit of work. Cases whose outputs an
 * earlier run from the same input already wrote are skipped, so an interrupted run resumes where
 * it stopped; with {@link OutputFolder#overwrite()} every case is predicted again.
 */
public final class PredictPipeline {

  private PredictPipeline() {}

  /** What a run did: cases asked for, cases skipped as already predicted, and the failures. */
  public record Outcome(int cases, int skipped, List<?> failures) {
    public int predicted() {
      return cases - skipped - failures.size();
    }
  }

  /** Predicts {@code cases} (discovered under {@code out.input()}) into {@code out.dir()}. */
  public static Outcome run(List<CaseRecord> cases, PredictionSettings settings, OutputFolder out, RunnerSettings runner) {
    TrainedRun run = TrainedRun.open(settings.run());
    return predict(List.of(new Shard(cases, settings)), settings.toJson(run), out, runner);
  }

  /**
   * The out-of-fold set: each fold's validation cases predicted by that fold's models, all folds in
   * one pipeline (one branch per fold, each loading only its fold's ensemble) into one folder.
   *
   * @param byFold fold to its validation cases
   * @param settings the inference of every fold; its model list is replaced by each fold's models
   */
  public static Outcome runOutOfFold(Map<Integer, List<CaseRecord>> byFold, PredictionSettings settings, OutputFolder out,
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
    return predict(shards, json, out, runner);
  }

  /** Cases predicted with one settings (one ensemble). */
  private record Shard(List<CaseRecord> cases, PredictionSettings settings) {}

  /** Claims the folder, records how its cases are predicted ({@code settingsJson}), then predicts every shard. */
  private static Outcome predict(List<Shard> shards, Map<String, Object> settingsJson, OutputFolder out, RunnerSettings runner) {
    Path outDir = out.dir();
    List<String> caseIds = shards.stream().flatMap(shard -> shard.cases().stream()).map(CaseRecord::getCaseId).toList();
    OutputFolder.Claim claim = out.claim(PredictCases.PROGRESS, caseIds,
        id -> List.of(RunLayout.probabilities(outDir, id), RunLayout.mask(outDir, id)));
    Json.write(RunLayout.predictionSettings(outDir), settingsJson);
    Pipeline pipeline = Pipeline.create(runner.pipelineOptions("isles-predict"));
    PCollectionList<CaseFailure> failed = PCollectionList.empty(pipeline);
    int todoCount = 0;
    for (int n = 0; n < shards.size(); n++) {
      Shard shard = shards.get(n);
      List<CaseRecord> todo = out.overwrite()
          ? shard.cases()
          : shard.cases().stream().filter(c -> !PredictionFiles.exist(outDir, c.getCaseId())).toList();
      todoCount += todo.size();
      String suffix = shards.size() == 1 ? "" : "_" + n;
      WithFailures.Result<PCollection<String>, CaseFailure> results =
          pipeline
              .apply("ReadCases" + suffix, Create.of(todo).withCoder(AvroCoder.of(CaseRecord.class)))
              .apply("PredictCases" + suffix, new PredictCases(shard.settings(), outDir));
      failed = failed.and(results.failures());
    }
    failed.apply("AllFailures", Flatten.pCollections()).apply("WriteFailures", new WriteFailures(RunLayout.failures(outDir)));
    new StageRun(PredictCases.PROGRESS, "cases", todoCount).run(pipeline, runner);
    List<?> failures = Json.read(RunLayout.failures(outDir), List.class);
    claim.finish();
    return new Outcome(caseIds.size(), caseIds.size() - todoCount, failures);
  }
}

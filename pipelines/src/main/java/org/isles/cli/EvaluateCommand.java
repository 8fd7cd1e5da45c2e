package org.isles.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.isles.evaluation.CasePairing;
import org.isles.evaluation.EvaluationFiles;
import org.isles.evaluation.EvaluationHistory;
import org.isles.evaluation.EvaluationRun;
import org.isles.evaluation.EvaluationRules;
import org.isles.evaluation.Thresholds;
import org.isles.io.Json;
import org.isles.pipelines.evaluate.EvaluatePipeline;
import org.isles.model.run.TrainedRun;
import org.isles.pipelines.predict.CaseSelection;
import org.isles.pipelines.predict.PredictPipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Score probability maps against ground truth at every threshold of a sweep (ISLES 2022 metrics).",
      "Writes into --out-dir: summary.json, metrics.json, cases.csv, cases.avro and failures.json.",
      "A ground-truth case without a prediction is reported and scored as an empty prediction."
    })
final class EvaluateCommand implements Callable<Integer> {
  @Option(names = "--probs-dir", required = true, description = "Folder of <case_id>.nii.gz probability maps in [0, 1] (or binary masks) on the ground-truth grid.")
  Path probsDir;

  @Option(names = "--gt", required = true, description = "ISLES 2022 root (derivatives masks) or a folder of <case_id>.nii.gz masks.")
  Path groundTruth;

  @Option(names = "--out-dir", required = true, description = "Output directory.")
  Path outDir;

  @Option(names = "--thresholds", defaultValue = "0.02,0.04,...,0.5", description = "Comma list, or first,second,...,last (default ${DEFAULT-VALUE}).")
  String thresholds;

  @Option(names = "--min-size", defaultValue = "0", description = "Drop predicted components with fewer voxels (0 = off).")
  int minSize;

  @Option(names = "--top-k", defaultValue = "0", description = "Keep only the K largest predicted components (0 = off).")
  int topK;

  @Option(names = "--cc-score", defaultValue = "none", description = "none, max_prob, p95_prob or mean_prob: keep a component only if this score reaches --cc-score-thr.")
  String ccScore;

  @Option(names = "--cc-score-thr", defaultValue = "0.5", description = "Threshold of --cc-score (default ${DEFAULT-VALUE}).")
  double ccScoreThreshold;

  @Option(names = "--exclude-empty-gt", description = "Leave cases with an empty ground truth out of mean Dice (they are included by default).")
  boolean excludeEmptyGt;

  @Option(names = "--size-buckets-ml", split = ",", defaultValue = "1,10", description = "Lesion-size bucket edges in mL: small < a <= medium < b <= large (default ${DEFAULT-VALUE}).")
  double[] sizeBucketsMl;

  @Option(names = "--slice-spacing-thr-mm", defaultValue = "3.0", description = "Slice thickness separating thin (<) from thick (>=) (default ${DEFAULT-VALUE}).")
  double sliceSpacingThresholdMm;

  @Option(names = "--cases", description = "Score only these cases: a file of case ids (one per line) or a splits JSON (its test list).")
  Path cases;

  @Option(names = "--history", paramLabel = "FILE.csv",
      description = "Append a row for this evaluation (time, folder, run name, model and dataset fingerprints, rules, threshold, headline metrics).")
  Path history;

  @Option(names = "--run-name", description = "The run's name in the --history row (default: the output folder's name, or its parent's for OUT/eval).")
  String runName;

  @Mixin RunnerOptions runner;

  @Override
  public Integer call() {
    EvaluationRules rules =
        new EvaluationRules(
            excludeEmptyGt, Thresholds.parse(thresholds), minSize, topK, EvaluationRules.parseCcScore(ccScore),
            ccScoreThreshold, sizeBucketsMl, sliceSpacingThresholdMm);
    CasePairing pairing = CasePairing.of(probsDir, groundTruth);
    if (cases != null) {
      pairing = pairing.restrictedTo(CaseSelection.readIds(cases));
    }
    if (pairing.pairs().isEmpty()) {
      throw new IllegalArgumentException("no ground-truth cases found in " + groundTruth);
    }
    if (!pairing.missingPredictions().isEmpty()) {
      System.err.printf(
          "%d ground-truth cases have no prediction in %s and are scored as empty predictions: %s%n",
          pairing.missingPredictions().size(), probsDir, String.join(", ", pairing.missingPredictions()));
    }
    if (!pairing.unmatchedPredictions().isEmpty()) {
      System.err.printf(
          "%d predictions have no ground truth and are not scored: %s%n",
          pairing.unmatchedPredictions().size(), String.join(", ", pairing.unmatchedPredictions()));
    }
    EvaluatePipeline.Outcome outcome = EvaluatePipeline.run(pairing, rules, outDir, runner.settings());
    Path summary = outDir.resolve(EvaluationFiles.SUMMARY);
    if (outcome.scored() > 0) {
      JsonNode json = Json.read(summary, JsonNode.class);
      System.out.printf(
          "evaluated %d of %d cases: mean Dice %.4f at threshold %s (%s)%n",
          outcome.scored(), outcome.cases(), json.get("mean_dice").asDouble(), json.get("best_threshold_by_mean_dice").asText(), summary);
    }
    if (history != null && outcome.scored() > 0) {
      EvaluationHistory.append(history, outDir, runName != null ? runName : EvaluationRun.displayName(outDir), modelFingerprints(probsDir));
      System.out.println("history: appended a row to " + history);
    }
    if (!outcome.failures().isEmpty()) {
      System.err.printf("%d cases failed; see %s%n", outcome.failures().size(), outDir.resolve(EvaluatePipeline.FAILURES_FILE));
      outcome.failures().forEach(failure -> System.err.println("  " + failure));
      return 1;
    }
    return 0;
  }

  /** The weights of the models that made the predictions, named in their prediction.json; empty when it is absent. */
  static Map<String, String> modelFingerprints(Path probsDir) {
    Path settings = probsDir.resolve(PredictPipeline.SETTINGS_FILE);
    Map<String, String> fingerprints = new LinkedHashMap<>();
    if (!Files.isRegularFile(settings)) {
      return fingerprints;
    }
    JsonNode json = Json.read(settings, JsonNode.class);
    TrainedRun run = TrainedRun.open(Path.of(json.path("run").asText()));
    for (JsonNode model : json.path("models")) {
      fingerprints.put(model.asText(), EvaluationHistory.fileFingerprint(run.parametersFile(model.asText())));
    }
    return fingerprints;
  }
}

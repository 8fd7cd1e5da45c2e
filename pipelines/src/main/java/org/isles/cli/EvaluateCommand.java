package org.isles.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.isles.evaluation.BrokenPredictionRule;
import org.isles.evaluation.CasePairing;
import org.isles.evaluation.EvaluationHistory;
import org.isles.evaluation.EvaluationRun;
import org.isles.evaluation.EvaluationRules;
import org.isles.evaluation.SelectedSettings;
import org.isles.evaluation.Summary;
import org.isles.evaluation.Thresholds;
import org.isles.io.Json;
import org.isles.pipelines.OutputFolder;
import org.isles.pipelines.RunLayout;
import org.isles.pipelines.RunnerSettings;
import org.isles.pipelines.evaluate.EvaluatePipeline;
import org.isles.model.run.TrainedRun;
import org.isles.pipelines.predict.CaseSelection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Score probability maps against ground truth at every threshold of a sweep (ISLES 2022 metrics).",
      "Writes into --out-dir: summary.json, metrics.json, cases.csv, cases.avro and failures.json.",
      "A ground-truth case whose prediction is missing or broken (unreadable, off-grid, NaN, outside [0, 1]) is",
      "scored as an empty prediction (--broken-predictions empty) or stops the mean (refuse); summary.json lists them."
    })
final class EvaluateCommand implements Callable<Integer> {
  /** The reference evaluation's sweep, {@link org.isles.evaluation.Thresholds#defaults()}, as the option takes it. */
  static final String REFERENCE_SWEEP = "0.02,0.04,...,0.5";

  @Option(names = "--probs-dir", required = true, description = "Folder of <case_id>.nii.gz probability maps in [0, 1] (or binary masks) on the ground-truth grid.")
  Path probsDir;

  @Option(names = "--gt", required = true, description = "ISLES 2022 root (derivatives masks) or a folder of <case_id>.nii.gz masks.")
  Path groundTruth;

  @Option(names = "--out-dir", required = true, description = "Output directory.")
  Path outDir;

  @Mixin ThresholdMixin thresholds = new ThresholdMixin(REFERENCE_SWEEP);

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

  @Option(names = "--broken-predictions", defaultValue = "empty",
      description = {"empty (default): a case whose prediction is missing or broken is scored as an empty prediction;",
          "refuse: no mean is reported while any prediction is missing or broken (exit status 1)."})
  String brokenPredictions;

  @Option(names = "--cases", description = "Score only these cases: a file of case ids (one per line) or a splits JSON (its test list).")
  Path cases;

  @Option(names = "--overwrite", description = "Replace an evaluation of other predictions in --out-dir (refused without this flag).")
  boolean overwrite;

  @Option(names = "--select-settings",
      description = {"Also choose a threshold and post-processing on these cases (meant for out-of-fold validation predictions)",
          "among a fixed grid (none, min component size, cc_score max/p95/mean at several levels) and write OUT/selection.json."})
  boolean selectSettings;

  @Option(names = "--selected", paramLabel = "SELECTION_JSON",
      description = {"Settings chosen on other cases (a selection.json of --select-settings on validation predictions):",
          "summary.json then leads with selected_on_validation, these cases' metrics at them, beside best_all."})
  Path selected;

  @Option(names = "--history", paramLabel = "FILE.csv",
      description = "Append a row for this evaluation (time, folder, run name, model and dataset fingerprints, rules, threshold, headline metrics).")
  Path history;

  @Option(names = "--run-name", description = "The run's name in the --history row (default: the output folder's name, or its parent's for OUT/eval).")
  String runName;

  @Mixin RunnerOptions runner;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    OptionChecks.of(spec).outputDirectory("--out-dir", outDir).thresholds(thresholds).runner(runner);
    EvaluationRules rules =
        new EvaluationRules(
            excludeEmptyGt, thresholds.values(), minSize, topK, EvaluationRules.parseCcScore(ccScore),
            ccScoreThreshold, sizeBucketsMl, sliceSpacingThresholdMm, BrokenPredictionRule.parse(brokenPredictions));
    return run(new Request(probsDir, groundTruth, outDir, rules, cases, selectSettings, selected, history, runName, overwrite,
        runner.settings())).exitCode();
  }

  /**
   * What an evaluation needs.
   *
   * @param cases a file of the case ids to score, or null for every ground-truth case
   * @param selected a selection.json whose settings to apply too, or null
   * @param history a history CSV to append a row to, or null
   * @param runName the run's name in that row, null for the output folder's
   */
  record Request(Path probsDir, Path groundTruth, Path outDir, EvaluationRules rules, Path cases, boolean selectSettings, Path selected,
      Path history, String runName, boolean overwrite, RunnerSettings runner) {}

  /**
   * Scores the predictions, printing the headline; {@link StageStatus#SOME_CASES_FAILED} also when
   * the mean is refused (--broken-predictions refuse).
   */
  static StageStatus run(Request request) {
    Path probsDir = request.probsDir();
    Path outDir = request.outDir();
    EvaluationRules rules = request.rules();
    CasePairing pairing = CasePairing.of(probsDir, request.groundTruth());
    if (request.cases() != null) {
      pairing = pairing.restrictedTo(CaseSelection.readIds(request.cases()));
    }
    if (pairing.pairs().isEmpty()) {
      throw new IllegalArgumentException("no ground-truth cases found in " + request.groundTruth());
    }
    if (!pairing.missingPredictions().isEmpty()) {
      System.err.printf(
          "%d ground-truth cases have no prediction in %s (--broken-predictions %s): %s%n",
          pairing.missingPredictions().size(), probsDir, rules.brokenPredictions().label(),
          String.join(", ", pairing.missingPredictions()));
    }
    if (!pairing.unmatchedPredictions().isEmpty()) {
      System.err.printf(
          "%d predictions have no ground truth and are not scored: %s%n",
          pairing.unmatchedPredictions().size(), String.join(", ", pairing.unmatchedPredictions()));
    }
    SelectedSettings apply = request.selected() == null ? null : SelectedSettings.read(request.selected());
    String chooseOn = request.selectSettings() ? chosenOn(probsDir, request.cases()) : null;
    EvaluatePipeline.Selection selection = new EvaluatePipeline.Selection(chooseOn, apply);
    EvaluatePipeline.Outcome outcome = EvaluatePipeline.run(pairing, rules, new OutputFolder(outDir, probsDir, request.overwrite()),
        request.runner(), selection);
    Path summary = RunLayout.evalSummary(outDir);
    boolean refused = false;
    if (Files.isRegularFile(summary)) {
      Summary json = Summary.read(outDir);
      if (json.meanRefused() != null) {
        refused = true;
        System.err.printf("%s (%s)%n", json.meanRefused(), summary);
      } else {
        Summary.SelectedOnValidation atSelected = json.selectedOnValidation();
        if (atSelected != null) {
          System.out.printf("at the settings chosen on validation (threshold %s, %s): mean Dice %.4f over %d cases%n",
              atSelected.threshold(), atSelected.postProcessing().options().description(), atSelected.meanDice(), atSelected.nCases());
        }
        System.out.printf(
            "evaluated %d of %d cases (%d predictions missing, %d broken, scored as empty): mean Dice %.4f at threshold %s (%s)%n",
            json.nCasesEvaluated(), outcome.cases(), json.nPredictionsMissing(), json.nPredictionsBroken(), json.meanDice(),
            json.bestThresholdByMeanDice(), summary);
      }
    }
    if (request.selectSettings()) {
      Path file = RunLayout.selection(outDir);
      if (!Files.isRegularFile(file)) {
        throw new IllegalStateException("no settings chosen: no case of " + probsDir + " could be scored, or (under"
            + " --broken-predictions refuse) a prediction is missing or broken");
      }
      SelectedSettings chosen = SelectedSettings.read(file);
      System.out.printf("chosen on these %d cases: threshold %s, %s (mean Dice %.4f) -> %s%n", chosen.caseIds().size(),
          chosen.threshold(), chosen.postProcessing().description(),
          chosen.validationMeanDice(), file);
    }
    if (request.history() != null && Files.isRegularFile(summary) && !refused) {
      EvaluationHistory.append(request.history(), outDir, request.runName() != null ? request.runName() : EvaluationRun.displayName(outDir),
          modelFingerprints(probsDir));
      System.out.println("history: appended a row to " + request.history());
    }
    if (!outcome.failures().isEmpty()) {
      System.err.printf("%d cases failed or have a broken prediction; see %s%n", outcome.failures().size(),
          RunLayout.failures(outDir));
      for (Object failure : outcome.failures()) {
        Map<?, ?> entry = (Map<?, ?>) failure;
        System.err.println("  " + entry.get("case_id") + ": " + entry.get("cause"));
      }
    }
    return StageStatus.of(refused || !outcome.failures().isEmpty());
  }

  /** Where --select-settings chooses: these predictions, and how they were made when prediction.json says. */
  private static String chosenOn(Path probsDir, Path cases) {
    Path settings = RunLayout.predictionSettings(probsDir);
    String how = Files.isRegularFile(settings) ? Json.read(settings, JsonNode.class).path("cases").asText("") : "";
    return "predictions in " + probsDir.toAbsolutePath().normalize() + (how.isEmpty() ? "" : " (" + how + ")")
        + (cases == null ? "" : ", cases of " + cases.toAbsolutePath().normalize());
  }

  /** The weights of the models that made the predictions, named in their prediction.json; empty when it is absent. */
  static Map<String, String> modelFingerprints(Path probsDir) {
    Path settings = RunLayout.predictionSettings(probsDir);
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

package org.isles.pipelines;

import java.nio.file.Path;
import java.util.List;
import org.isles.dataset.ProcessedStore;
import org.isles.evaluation.EvaluationFiles;
import org.isles.evaluation.SelectedSettings;
import org.isles.model.run.ModelFolder;

/**
 * The one owner of every path and file name of a run folder, as {@code isles run --out OUT} lays
 * it out; each stage's own folder has the same inner names when a user runs the stage by hand.
 * Names inside a run of models are {@link ModelFolder}'s, inside a processed case {@link
 * ProcessedStore}'s, inside an evaluation {@link EvaluationFiles}'s; this class delegates to them.
 *
 * <pre>
 * OUT/run.json                                   isles run's record of its command (input, config, folds, ...)
 * OUT/processed/CASE/...                         preprocessed cases (ProcessedStore)
 * OUT/splits.json                                the cross-validation split
 * OUT/runs/NAME/                                 the trained models (ModelFolder): recipe.json, splits.json,
 *                                                training_summary.json, fold_K/seed_S/{best,last}/...,
 *                                                fold_K/seed_S/{config.yaml, plan.json, outcome.json}
 * OUT/validation_cases.txt                       the out-of-fold case list
 * OUT/predictions_validation/, OUT/predictions/  CASE.nii.gz probabilities, masks/CASE.nii.gz, prediction.json
 * OUT/eval_validation/, OUT/eval/                summary.json, cases.csv, selection.json, ... (EvaluationFiles)
 * OUT/compare/                                   isles run --compare-to's comparison
 * OUT/report.html                                the report, its images in report_files/
 * every stage folder: failures.json, output.json
 * </pre>
 */
public final class RunLayout {
  /** Every stage folder: the failed cases. */
  public static final String FAILURES = "failures.json";
  /** Every stage folder: which stage wrote it from which input, and whether it finished ({@link OutputFolder}). */
  public static final String RECORD = "output.json";
  /** The record {@code isles run} keeps of its command. */
  public static final String COMMAND = "run.json";
  public static final String PROCESSED = "processed";
  public static final String RUNS = "runs";
  /** A folder a user trained into by hand ({@code isles train --out DIR/train}); the report looks for curves there too. */
  public static final String TRAIN = "train";
  public static final String VALIDATION_CASES = "validation_cases.txt";
  public static final String VALIDATION_PREDICTIONS = "predictions_validation";
  public static final String VALIDATION_EVAL = "eval_validation";
  public static final String PREDICTIONS = "predictions";
  public static final String EVAL = "eval";
  public static final String COMPARISON = "compare";
  public static final String REPORT = "report.html";
  /** Predictions folder: the binary masks' subfolder. */
  public static final String MASKS = "masks";
  /** Predictions folder: how the probabilities were made (models, TTA, which cases). */
  public static final String PREDICTION_SETTINGS = "prediction.json";
  /**
   * A run of models: one entry per trained model. Named summary.json before it was renamed, the
   * name of the evaluation's summary (another content); nothing reads the old file.
   */
  public static final String TRAINING_SUMMARY = "training_summary.json";
  /** A training job's folder: the config it trained with. */
  public static final String JOB_CONFIG = "config.yaml";
  /** A training job's folder: its cases, seed and start. */
  public static final String JOB_PLAN = "plan.json";
  /** A training job's folder: what it produced. */
  public static final String JOB_OUTCOME = "outcome.json";
  private static final String NIFTI = ".nii.gz";

  private final Path out;

  public RunLayout(Path out) {
    this.out = out;
  }

  public Path out() {
    return out;
  }

  public Path command() {
    return out.resolve(COMMAND);
  }

  public Path processed() {
    return out.resolve(PROCESSED);
  }

  /** The split the run made; its run of models keeps a copy under the same name. */
  public Path splits() {
    return ModelFolder.splits(out);
  }

  /** The run of models that training with the config named {@code name} writes. */
  public Path run(String name) {
    return out.resolve(RUNS).resolve(name);
  }

  /** Where the report looks for training curves: every run of models, and a by-hand {@value #TRAIN} folder. */
  public List<Path> trainingFolders() {
    return List.of(out.resolve(RUNS), out.resolve(TRAIN));
  }

  public Path validationCases() {
    return out.resolve(VALIDATION_CASES);
  }

  public Path validationPredictions() {
    return out.resolve(VALIDATION_PREDICTIONS);
  }

  public Path validationEval() {
    return out.resolve(VALIDATION_EVAL);
  }

  public Path predictions() {
    return out.resolve(PREDICTIONS);
  }

  public Path eval() {
    return out.resolve(EVAL);
  }

  /** The test evaluation's summary.json, the run's official result. */
  public Path summary() {
    return evalSummary(eval());
  }

  /** The test evaluation's per-case table. */
  public Path cases() {
    return evalCases(eval());
  }

  public Path comparison() {
    return out.resolve(COMPARISON);
  }

  public Path report() {
    return out.resolve(REPORT);
  }

  /** A stage folder's failed cases. */
  public static Path failures(Path stageDir) {
    return stageDir.resolve(FAILURES);
  }

  /** A stage folder's record. */
  public static Path record(Path stageDir) {
    return stageDir.resolve(RECORD);
  }

  /** A case's probability map (float32) in a predictions folder. */
  public static Path probabilities(Path predictionsDir, String caseId) {
    return predictionsDir.resolve(caseId + NIFTI);
  }

  /** A case's binary mask (uint8) in a predictions folder. */
  public static Path mask(Path predictionsDir, String caseId) {
    return masks(predictionsDir).resolve(caseId + NIFTI);
  }

  public static Path masks(Path predictionsDir) {
    return predictionsDir.resolve(MASKS);
  }

  public static Path predictionSettings(Path predictionsDir) {
    return predictionsDir.resolve(PREDICTION_SETTINGS);
  }

  /** An evaluation folder's summary.json, the official result. */
  public static Path evalSummary(Path evalDir) {
    return evalDir.resolve(EvaluationFiles.SUMMARY);
  }

  /** An evaluation folder's per-case table. */
  public static Path evalCases(Path evalDir) {
    return evalDir.resolve(EvaluationFiles.CASES_CSV);
  }

  /** The settings an evaluation chose on its cases (--select-settings). */
  public static Path selection(Path evalDir) {
    return evalDir.resolve(SelectedSettings.FILE);
  }

  public static Path trainingSummary(Path runDir) {
    return runDir.resolve(TRAINING_SUMMARY);
  }

  public static Path jobConfig(Path jobDir) {
    return jobDir.resolve(JOB_CONFIG);
  }

  public static Path jobPlan(Path jobDir) {
    return jobDir.resolve(JOB_PLAN);
  }

  public static Path jobOutcome(Path jobDir) {
    return jobDir.resolve(JOB_OUTCOME);
  }

  /** The run of models' split, with its test cases. */
  public static Path runSplits(Path runDir) {
    return ModelFolder.splits(runDir);
  }
}

package org.isles.cli;

/**
 * How a pipeline stage that ran to its end went: every case done, or some cases failed (each in
 * the stage's failures.json) and the others done. A stage that could not run throws instead.
 */
enum StageStatus {
  SUCCEEDED,
  SOME_CASES_FAILED;

  static StageStatus of(boolean someFailed) {
    return someFailed ? SOME_CASES_FAILED : SUCCEEDED;
  }

  /** The command's exit status: 0, or 1 for failed cases (a command that could not run exits with {@link IslesCli#ERROR}). */
  int exitCode() {
    return this == SUCCEEDED ? 0 : 1;
  }
}

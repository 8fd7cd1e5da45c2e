/**
 * Evaluation of probability maps against ground truth, without Beam: pairing files by case id
 * ({@link org.isles.evaluation.CasePairing}), scoring a case at every threshold from one read
 * ({@link org.isles.evaluation.CaseScorer}), the summary of a run ({@link
 * org.isles.evaluation.EvaluationSummary}) under its {@link org.isles.evaluation.EvaluationRules},
 * the files of an evaluation directory ({@link org.isles.evaluation.EvaluationFiles}) and their
 * analysis ({@link org.isles.evaluation.EvaluationAnalysis}).
 */
package org.isles.evaluation;

/**
 * The {@code isles evaluate} pipeline: {@link org.isles.pipelines.evaluate.ReadCasePairs}, {@link
 * org.isles.pipelines.evaluate.ScoreCases} (one case per unit of work, failures to a dead-letter
 * output) and {@link org.isles.pipelines.evaluate.WriteSummary} (one combine, then the files).
 */
package org.isles.pipelines.evaluate;

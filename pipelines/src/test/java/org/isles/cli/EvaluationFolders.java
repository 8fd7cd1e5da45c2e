package org.isles.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.isles.evaluation.EvaluationFiles;
import org.isles.evaluation.EvaluationRecords;
import org.isles.evaluation.EvaluationRules;
import org.isles.metrics.BoundaryDistances;
import org.isles.metrics.CaseMetrics;
import org.isles.metrics.ConfusionCounts;
import org.isles.postprocess.ComponentScore;
import org.isles.schemas.CaseEvaluation;

/**
 * Evaluation folders written from chosen per-case counts, for the commands that read evaluations.
 * Every case has 10 ground-truth voxels in one lesion; a case with k true-positive voxels and no
 * false positives has Dice 2k / (k + 10).
 */
final class EvaluationFolders {
  static final double THRESHOLD = 0.5;

  private EvaluationFolders() {}

  static double dice(int truePositives) {
    return 2.0 * truePositives / (truePositives + 10);
  }

  /** @param truePositives case id to its true-positive voxels (0..10) */
  static Path write(Path dir, Map<String, Integer> truePositives) throws Exception {
    Path gt = Files.createDirectories(dir.resolve("gt"));
    List<CaseEvaluation> cases = new ArrayList<>();
    for (String id : truePositives.keySet()) {
      // Stands in for the mask file, whose bytes only the dataset fingerprint reads.
      Files.writeString(gt.resolve(id + ".nii.gz"), id);
    }
    truePositives.forEach(
        (id, tp) -> {
          CaseMetrics metrics = new CaseMetrics(THRESHOLD, 0.001, new ConfusionCounts(tp, 0, 10 - tp), 1, tp > 0 ? 1 : 0,
              new ConfusionCounts(tp > 0 ? 1 : 0, 0, tp > 0 ? 0 : 1), new BoundaryDistances(10 - tp, 10 - tp, (10 - tp) / 2.0));
          cases.add(EvaluationRecords.toRecord(id, gt.resolve(id + ".nii.gz").toString(), "/probs/" + id + ".nii.gz", 1.0, List.of(metrics)));
        });
    EvaluationRules rules = new EvaluationRules(false, new double[] {THRESHOLD}, 0, 0, ComponentScore.NONE, 0.5, new double[] {1, 10}, 3.0);
    EvaluationFiles.write(dir, cases, rules, List.of(), List.of());
    return dir;
  }
}

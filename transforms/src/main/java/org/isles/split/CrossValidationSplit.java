package org.isles.split;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.isles.io.Json;

/**
 * A fixed held-out test set and k cross-validation folds of the remaining cases, stratified by
 * {@link SplitCase#stratum()} and deterministic for a seed.
 *
 * <p>Cases are sorted by id, grouped by stratum (strata in name order), shuffled within each
 * stratum with the seed, and laid out stratum after stratum. Systematic sampling of that sequence
 * picks the test cases (every 1/testFraction-th position), so each stratum gives the test set its
 * share to within one case. The rest are dealt to folds round robin, the counter running on from
 * one stratum to the next, so every fold gets each stratum's share to within one case and the fold
 * sizes differ by at most one.
 */
public record CrossValidationSplit(long seed, double testFraction, String rule, List<String> test, List<Fold> folds) {
  public static final String RULE = "strata = slice thickness (thin < " + SplitCase.THICK_SLICE_MM + " mm <= thick) x lesion"
      + " (none, < " + SplitCase.SMALL_LESION_ML + " mL, < " + SplitCase.LARGE_LESION_ML + " mL, larger); cases sorted by id,"
      + " shuffled within each stratum with the seed, strata concatenated in name order; test = systematic sample of"
      + " round(test fraction x cases) positions; remaining cases dealt to folds round robin";

  /** Fold {@code fold} validates on {@code val} and trains on {@code train} (all other non-test cases). */
  public record Fold(int fold, List<String> train, List<String> val) {
    public Fold {
      train = List.copyOf(train);
      val = List.copyOf(val);
    }
  }

  public CrossValidationSplit {
    test = List.copyOf(test);
    folds = List.copyOf(folds);
  }

  public static CrossValidationSplit of(List<SplitCase> cases, int foldCount, double testFraction, long seed) {
    if (foldCount < 2) {
      throw new IllegalArgumentException("need at least 2 folds, got " + foldCount);
    }
    if (!(testFraction >= 0 && testFraction < 1)) {
      throw new IllegalArgumentException("test fraction must be in [0, 1), got " + testFraction);
    }
    List<SplitCase> sequence = stratifiedSequence(cases, seed);
    int testCount = (int) Math.round(testFraction * sequence.size());
    if (sequence.size() - testCount < foldCount) {
      throw new IllegalArgumentException(sequence.size() + " cases with " + testCount + " for test leave fewer than "
          + foldCount + " for the folds");
    }
    List<String> test = new ArrayList<>();
    List<List<String>> val = new ArrayList<>();
    for (int f = 0; f < foldCount; f++) {
      val.add(new ArrayList<>());
    }
    int dealt = 0;
    for (int position = 0; position < sequence.size(); position++) {
      String id = sequence.get(position).caseId();
      long testsBefore = (long) position * testCount / sequence.size();
      long testsThrough = (long) (position + 1) * testCount / sequence.size();
      if (testsThrough > testsBefore) {
        test.add(id);
      } else {
        val.get(dealt++ % foldCount).add(id);
      }
    }
    List<Fold> folds = new ArrayList<>();
    for (int f = 0; f < foldCount; f++) {
      List<String> train = new ArrayList<>();
      for (int other = 0; other < foldCount; other++) {
        if (other != f) {
          train.addAll(val.get(other));
        }
      }
      folds.add(new Fold(f, sorted(train), sorted(val.get(f))));
    }
    return new CrossValidationSplit(seed, testFraction, RULE, sorted(test), folds);
  }

  /** The split as written by {@link #write}. */
  public static CrossValidationSplit read(Path file) {
    return Json.read(file, CrossValidationSplit.class);
  }

  public void write(Path file) {
    Json.write(file, this);
  }

  public Fold fold(int fold) {
    if (fold < 0 || fold >= folds.size()) {
      throw new IllegalArgumentException("fold " + fold + " does not exist; the split has folds 0.." + (folds.size() - 1));
    }
    return folds.get(fold);
  }

  private static List<SplitCase> stratifiedSequence(List<SplitCase> cases, long seed) {
    Map<String, List<SplitCase>> strata = new TreeMap<>();
    List<SplitCase> byId = new ArrayList<>(cases);
    byId.sort(Comparator.comparing(SplitCase::caseId));
    for (int n = 1; n < byId.size(); n++) {
      if (byId.get(n).caseId().equals(byId.get(n - 1).caseId())) {
        throw new IllegalArgumentException("case " + byId.get(n).caseId() + " appears twice");
      }
    }
    for (SplitCase c : byId) {
      strata.computeIfAbsent(c.stratum(), key -> new ArrayList<>()).add(c);
    }
    Random random = new Random(seed);
    List<SplitCase> sequence = new ArrayList<>();
    for (List<SplitCase> stratum : strata.values()) {
      Collections.shuffle(stratum, random);
      sequence.addAll(stratum);
    }
    return sequence;
  }

  private static List<String> sorted(List<String> ids) {
    List<String> copy = new ArrayList<>(ids);
    Collections.sort(copy);
    return copy;
  }
}

package org.isles.pipelines.predict;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.isles.model.run.TrainedRun;
import org.isles.schemas.CaseRecord;

/**
 * Which discovered cases to predict: {@value #TEST} (the run's held-out test cases), {@value #ALL},
 * {@value #VALIDATION} (each trained fold's validation cases, predicted by that fold's models: the
 * out-of-fold set, see {@link #validationByFold}), or a file of case ids (one per line, '#' starts a
 * comment) or a splits JSON (its "test" list).
 */
public final class CaseSelection {
  public static final String TEST = "test";
  public static final String ALL = "all";
  public static final String VALIDATION = "validation";

  private CaseSelection() {}

  /** The selected cases in the order listed; an id not among {@code discovered} is an error. */
  public static List<CaseRecord> select(String selection, List<CaseRecord> discovered, TrainedRun run, Path input) {
    if (selection.equals(ALL)) {
      return discovered;
    }
    if (selection.equals(VALIDATION)) {
      throw new IllegalArgumentException("--cases " + VALIDATION + " is predicted fold by fold (validationByFold)");
    }
    return byIds(selection.equals(TEST) ? run.testCases() : readIds(Path.of(selection)), discovered, input);
  }

  /** Each fold of the run that has a model, to its validation cases: the out-of-fold set. */
  public static Map<Integer, List<CaseRecord>> validationByFold(List<CaseRecord> discovered, TrainedRun run, Path input) {
    Map<Integer, List<CaseRecord>> byFold = new java.util.TreeMap<>();
    for (int fold : run.folds()) {
      byFold.put(fold, byIds(run.validationCases(fold), discovered, input));
    }
    return byFold;
  }

  private static List<CaseRecord> byIds(List<String> ids, List<CaseRecord> discovered, Path input) {
    Map<String, CaseRecord> byId =
        discovered.stream().collect(Collectors.toMap(CaseRecord::getCaseId, Function.identity()));
    List<String> missing = ids.stream().filter(id -> !byId.containsKey(id)).toList();
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(missing.size() + " selected cases are not under " + input + ": " + missing);
    }
    return ids.stream().map(byId::get).toList();
  }

  /** Case ids from a file: one per line ('#' starts a comment), or a splits JSON's "test" list. */
  public static List<String> readIds(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("--cases is neither 'test', 'all', 'validation' nor a file: " + file);
    }
    if (file.getFileName().toString().endsWith(".json")) {
      return TrainedRun.testCasesOf(file);
    }
    try {
      List<String> ids = new ArrayList<>();
      for (String line : Files.readAllLines(file)) {
        String id = line.replaceFirst("#.*", "").strip();
        if (!id.isEmpty()) {
          ids.add(id);
        }
      }
      return ids;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read case list " + file + ": " + e.getMessage(), e);
    }
  }
}

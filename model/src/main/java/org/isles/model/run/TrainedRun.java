package org.isles.model.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.isles.io.Json;
import org.isles.split.CrossValidationSplit;

/**
 * A training run directory as inference reads it:
 * <pre>
 * runs/NAME/run.json                                 the {@link RunRecipe}
 * runs/NAME/splits.json                              the cross-validation split, with its "test" cases
 * runs/NAME/fold_K/seed_S/best/parameters.params     one model per fold and seed (or last/ before any validation)
 * </pre>
 * A model is named by its directory relative to the run, e.g. {@code fold_0/seed_1}.
 */
public final class TrainedRun {
  public static final String SPLITS_FILE = "splits.json";
  public static final String BEST = "best";
  public static final String LAST = "last";
  public static final String PARAMETERS = "parameters.params";
  private static final Pattern MODEL_ID = Pattern.compile("fold_(\\d+)/seed_(\\d+)");

  private final Path dir;
  private final RunRecipe recipe;
  private final List<String> modelIds;

  private TrainedRun(Path dir, RunRecipe recipe, List<String> modelIds) {
    this.dir = dir;
    this.recipe = recipe;
    this.modelIds = modelIds;
  }

  public static TrainedRun open(Path dir) {
    Path absolute = dir.toAbsolutePath().normalize();
    RunRecipe recipe = RunRecipe.read(absolute);
    List<String> ids = new ArrayList<>();
    for (Path fold : children(absolute, "fold_")) {
      for (Path seed : children(fold, "seed_")) {
        String id = fold.getFileName() + "/" + seed.getFileName();
        if (MODEL_ID.matcher(id).matches() && parametersIn(seed) != null) {
          ids.add(id);
        }
      }
    }
    if (ids.isEmpty()) {
      throw new IllegalArgumentException("run " + absolute + " has no trained model (fold_K/seed_S/" + BEST + "/"
          + PARAMETERS + ")");
    }
    ids.sort(Comparator.comparingInt((String id) -> number(id, 1)).thenComparingInt(id -> number(id, 2)));
    return new TrainedRun(absolute, recipe, List.copyOf(ids));
  }

  /** The directory a model's checkpoints go to; training writes {@code best/} and {@code last/} below it. */
  public static Path modelDir(Path runDir, int fold, int seed) {
    return runDir.resolve("fold_" + fold).resolve("seed_" + seed);
  }

  public Path dir() {
    return dir;
  }

  public RunRecipe recipe() {
    return recipe;
  }

  /** Every model of the run, by fold then seed. */
  public List<String> modelIds() {
    return modelIds;
  }

  /** {@code wanted} checked against the run's models, in the order given. */
  public List<String> select(List<String> wanted) {
    for (String id : wanted) {
      if (!modelIds.contains(id)) {
        throw new IllegalArgumentException("run " + dir + " has no model '" + id + "'; it has " + modelIds);
      }
    }
    if (wanted.stream().distinct().count() != wanted.size()) {
      throw new IllegalArgumentException("models listed twice in " + wanted);
    }
    return List.copyOf(wanted);
  }

  /** The parameters a model predicts with: its best checkpoint, or its last one if it never validated. */
  public Path parametersFile(String modelId) {
    Path file = parametersIn(dir.resolve(modelId));
    if (file == null) {
      throw new IllegalArgumentException("run " + dir + " has no parameters for model '" + modelId + "'");
    }
    return file;
  }

  /** The folds that have at least one model, in increasing order. */
  public List<Integer> folds() {
    return modelIds.stream().map(id -> number(id, 1)).distinct().toList();
  }

  /** The models of one fold (its seeds), e.g. fold_2/seed_0 and fold_2/seed_1. */
  public List<String> modelsOfFold(int fold) {
    return modelIds.stream().filter(id -> number(id, 1) == fold).toList();
  }

  /** The validation cases of one fold, as the run's split recorded them. */
  public List<String> validationCases(int fold) {
    return CrossValidationSplit.read(splitsFile()).fold(fold).val();
  }

  /** The held-out test cases recorded with the run. */
  public List<String> testCases() {
    return testCasesOf(splitsFile());
  }

  private Path splitsFile() {
    Path splits = dir.resolve(SPLITS_FILE);
    if (!Files.isRegularFile(splits)) {
      throw new IllegalArgumentException("run " + dir + " records no split (" + splits + " is missing); pass a case list");
    }
    return splits;
  }

  /** The "test" list of a splits file. */
  public static List<String> testCasesOf(Path splitsFile) {
    Object test = Json.read(splitsFile, Map.class).get("test");
    if (!(test instanceof List<?> ids) || ids.stream().anyMatch(id -> !(id instanceof String))) {
      throw new IllegalArgumentException(splitsFile + " has no \"test\" list of case ids");
    }
    return ids.stream().map(String.class::cast).toList();
  }

  private static Path parametersIn(Path modelDir) {
    for (String checkpoint : List.of(BEST, LAST)) {
      Path file = modelDir.resolve(checkpoint).resolve(PARAMETERS);
      if (Files.isRegularFile(file)) {
        return file;
      }
    }
    return null;
  }

  private static List<Path> children(Path parent, String prefix) {
    try (Stream<Path> entries = Files.list(parent)) {
      return entries.filter(p -> Files.isDirectory(p) && p.getFileName().toString().startsWith(prefix)).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + parent + ": " + e.getMessage(), e);
    }
  }

  private static int number(String id, int group) {
    Matcher matcher = MODEL_ID.matcher(id);
    matcher.matches();
    return Integer.parseInt(matcher.group(group));
  }
}

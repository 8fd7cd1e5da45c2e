package org.isles.model.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.isles.io.Json;
import org.isles.preprocess.PreprocessingSettings;
import org.isles.split.CrossValidationSplit;

/**
 * A run directory as inference reads it:
 * <pre>
 * runs/NAME/recipe.json                              the {@link RunRecipe} of the models trained here
 * runs/NAME/splits.json                              the cross-validation split, with its "test" cases
 * runs/NAME/fold_K/seed_S/best/parameters.params     one model per fold and seed (or last/ before any validation)
 * runs/NAME/imported/M/model.pt (or model.onnx)      a model trained elsewhere ({@code isles import})
 * runs/NAME/imported/M/card.yaml                     its {@link ModelCard}
 * </pre>
 * The names are {@link ModelFolder}'s. A model is named by its directory relative to the run, e.g.
 * {@code fold_0/seed_1} or {@code imported/M}. A run of imported models only has no recipe.
 */
public final class TrainedRun {
  private static final Pattern MODEL_ID =
      Pattern.compile(ModelFolder.FOLD_PREFIX + "(\\d+)/" + ModelFolder.SEED_PREFIX + "(\\d+)");

  private final Path dir;
  private final RunRecipe recipe;
  private final List<String> modelIds;
  private final Map<String, RunModel> models;

  private TrainedRun(Path dir, RunRecipe recipe, List<RunModel> models) {
    this.dir = dir;
    this.recipe = recipe;
    this.modelIds = models.stream().map(RunModel::id).toList();
    this.models = new LinkedHashMap<>();
    models.forEach(m -> this.models.put(m.id(), m));
  }

  public static TrainedRun open(Path dir) {
    Path absolute = dir.toAbsolutePath().normalize();
    List<RunModel> imported = importedModels(absolute);
    boolean hasRecipe = ModelFolder.hasRecipe(absolute);
    RunRecipe recipe = hasRecipe || imported.isEmpty() ? RunRecipe.read(absolute) : null;
    List<String> ids = new ArrayList<>();
    if (recipe != null) {
      for (Path fold : children(absolute, ModelFolder.FOLD_PREFIX)) {
        for (Path seed : children(fold, ModelFolder.SEED_PREFIX)) {
          String id = fold.getFileName() + "/" + seed.getFileName();
          if (MODEL_ID.matcher(id).matches() && parametersIn(seed) != null) {
            ids.add(id);
          }
        }
      }
    }
    if (ids.isEmpty() && imported.isEmpty()) {
      throw new IllegalArgumentException("run " + absolute + " has no trained model (fold_K/seed_S/" + ModelFolder.BEST + "/"
          + ModelFolder.PARAMETERS + ") and no imported one (" + ModelFolder.IMPORTED + "/M/" + ModelCard.FILE + ")");
    }
    ids.sort(Comparator.comparingInt((String id) -> number(id, 1)).thenComparingInt(id -> number(id, 2)));
    List<RunModel> models = new ArrayList<>();
    for (String id : ids) {
      models.add(new RunModel(id, RunModel.Format.DJL_PARAMETERS, parametersIn(absolute.resolve(id)), recipe.card()));
    }
    models.addAll(imported);
    return new TrainedRun(absolute, recipe, models);
  }

  private static List<RunModel> importedModels(Path runDir) {
    Path root = runDir.resolve(ModelFolder.IMPORTED);
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    List<RunModel> models = new ArrayList<>();
    for (Path modelDir : children(root, "")) {
      if (modelDir.getFileName().toString().startsWith(".")) {
        continue; // an import still being written
      }
      Path card = modelDir.resolve(ModelCard.FILE);
      String id = ModelFolder.IMPORTED + "/" + modelDir.getFileName();
      List<RunModel.Format> formats = Arrays.stream(RunModel.Format.values())
          .filter(f -> f != RunModel.Format.DJL_PARAMETERS && Files.isRegularFile(modelDir.resolve(f.fileName()))).toList();
      if (!Files.isRegularFile(card) || formats.size() != 1) {
        throw new IllegalArgumentException("imported model " + modelDir + " needs " + ModelCard.FILE + " and one of "
            + RunModel.Format.TORCHSCRIPT.fileName() + " or " + RunModel.Format.ONNX.fileName());
      }
      models.add(new RunModel(id, formats.get(0), modelDir.resolve(formats.get(0).fileName()), ModelCard.read(card)));
    }
    models.sort(Comparator.comparing(RunModel::id));
    return models;
  }

  public Path dir() {
    return dir;
  }

  /** The recipe of the networks trained here; a run of imported models only has none. */
  public RunRecipe recipe() {
    if (recipe == null) {
      throw new IllegalArgumentException("run " + dir + " holds imported models only; it has no " + ModelFolder.RECIPE);
    }
    return recipe;
  }

  public RunModel model(String modelId) {
    RunModel model = models.get(modelId);
    if (model == null) {
      throw new IllegalArgumentException("run " + dir + " has no model '" + modelId + "'; it has " + modelIds);
    }
    return model;
  }

  /**
   * The preprocessing that {@code modelIds} share: an ensemble averages probabilities voxel by
   * voxel, so its models must see one preprocessed image.
   */
  public PreprocessingSettings preprocessing(List<String> modelIds) {
    RunModel first = model(modelIds.get(0));
    for (String id : modelIds) {
      RunModel other = model(id);
      if (!other.card().preprocessing().equals(first.card().preprocessing())) {
        throw new IllegalArgumentException("models " + first.id() + " and " + id + " of run " + dir
            + " disagree on preprocessing (" + describe(first.card().preprocessing()) + " vs "
            + describe(other.card().preprocessing()) + "); an ensemble needs one preprocessing");
      }
    }
    return first.card().preprocessing();
  }

  /** One line: target spacing, channels, normalization and crop margin. */
  public static String describe(PreprocessingSettings p) {
    String target = p.spacingMm() != null ? "spacing " + Arrays.toString(p.spacingMm()) + " mm" : "max zoom " + p.maxZoomMm() + " mm";
    return target + ", channels " + Arrays.toString(p.channels()) + ", " + p.normalization().cardName()
        + ", crop margin " + p.cropMarginVoxels();
  }

  /** Every model of the run: trained ones by fold then seed, then imported ones by name. */
  public List<String> modelIds() {
    return modelIds;
  }

  /** {@code wanted} checked against the run's models, in the order given. */
  public List<String> select(List<String> wanted) {
    wanted.forEach(this::model);
    if (wanted.stream().distinct().count() != wanted.size()) {
      throw new IllegalArgumentException("models listed twice in " + wanted);
    }
    return List.copyOf(wanted);
  }

  /** The parameters a model predicts with: its best checkpoint, or its last one if it never validated. */
  public Path parametersFile(String modelId) {
    RunModel model = model(modelId);
    if (model.format() != RunModel.Format.DJL_PARAMETERS) {
      throw new IllegalArgumentException("model '" + modelId + "' of run " + dir + " was imported; it has no DJL parameters");
    }
    return model.file();
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
    Path splits = ModelFolder.splits(dir);
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
    for (Path checkpoint : List.of(ModelFolder.best(modelDir), ModelFolder.last(modelDir))) {
      Path file = checkpoint.resolve(ModelFolder.PARAMETERS);
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

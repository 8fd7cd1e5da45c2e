package org.isles.model.interop;

import org.isles.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.isles.model.inference.ModelEnsemble;
import org.isles.model.run.ModelCard;
import org.isles.model.run.ModelFolder;
import org.isles.model.run.RunModel;
import org.isles.model.run.TrainedRun;
import org.isles.preprocess.PreprocessingSettings;

/**
 * Puts models trained elsewhere into a run directory ({@code imported/NAME/} with the model file
 * and its card, see {@link TrainedRun}), so {@code predict}, {@code evaluate} and {@code run} use
 * them like trained ones. Into an existing run only when the card's preprocessing is the run's.
 * Every model is loaded and checked against its card exactly as {@code predict} will load it; a
 * model that fails leaves the run as it was.
 */
public final class ModelImport {
  private ModelImport() {}

  /** Imports {@code files} (all of {@code format}) with {@code card} into {@code runDir}; returns their model ids. */
  public static List<String> importModels(List<Path> files, RunModel.Format format, ModelCard card, Path runDir) {
    if (format == RunModel.Format.DJL_PARAMETERS) {
      throw new IllegalArgumentException("DJL parameters are trained here, not imported");
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no model files to import");
    }
    String extension = format.fileName().substring(format.fileName().lastIndexOf('.'));
    List<String> names = new ArrayList<>();
    for (Path file : files) {
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("model file " + file + " does not exist");
      }
      String fileName = file.getFileName().toString();
      if (!fileName.endsWith(extension)) {
        throw new IllegalArgumentException("model file " + file + " should end in " + extension);
      }
      String name = fileName.substring(0, fileName.length() - extension.length()).replaceAll("[^A-Za-z0-9_.-]", "_");
      if (names.contains(name) || Files.exists(ModelFolder.importedDir(runDir, name))) {
        throw new IllegalArgumentException("a model named '" + name + "' is already imported into " + runDir);
      }
      names.add(name);
    }
    checkPreprocessingAgrees(card, runDir);
    List<Path> written = new ArrayList<>();
    try {
      for (int i = 0; i < files.size(); i++) {
        written.add(write(files.get(i), format, card, ModelFolder.importedDir(runDir, names.get(i))));
      }
      List<String> ids = names.stream().map(name -> ModelFolder.IMPORTED + "/" + name).toList();
      TrainedRun run = TrainedRun.open(runDir);
      for (int i = 0; i < ids.size(); i++) {
        try {
          ModelEnsemble.load(run, List.of(ids.get(i))).close();
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("cannot import " + files.get(i) + ": " + e.getMessage(), e);
        }
      }
      return ids;
    } catch (RuntimeException e) {
      written.forEach(AtomicFiles::deleteTree);
      throw e;
    }
  }

  private static void checkPreprocessingAgrees(ModelCard card, Path runDir) {
    if (!ModelFolder.hasRecipe(runDir) && !hasImportedModels(runDir)) {
      return;
    }
    TrainedRun run = TrainedRun.open(runDir);
    PreprocessingSettings existing = run.preprocessing(run.modelIds());
    if (!existing.equals(card.preprocessing())) {
      throw new IllegalArgumentException("run " + runDir + " preprocesses with " + TrainedRun.describe(existing)
          + " but the card says " + TrainedRun.describe(card.preprocessing())
          + "; an ensemble needs one preprocessing, import into another run");
    }
  }

  private static boolean hasImportedModels(Path runDir) {
    Path imported = runDir.resolve(ModelFolder.IMPORTED);
    if (!Files.isDirectory(imported)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(imported)) {
      return entries.anyMatch(p -> !p.getFileName().toString().startsWith("."));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + imported + ": " + e.getMessage(), e);
    }
  }

  /** The model and its card into {@code modelDir}, through a temporary sibling renamed at the end. */
  private static Path write(Path file, RunModel.Format format, ModelCard card, Path modelDir) {
    Path partial = modelDir.resolveSibling("." + modelDir.getFileName() + ".partial");
    try {
      AtomicFiles.deleteTree(partial);
      Files.createDirectories(partial);
      Files.copy(file, partial.resolve(format.fileName()), StandardCopyOption.REPLACE_EXISTING);
      card.write(partial.resolve(ModelCard.FILE));
      Files.move(partial, modelDir, StandardCopyOption.ATOMIC_MOVE);
      return modelDir;
    } catch (IOException e) {
      AtomicFiles.deleteTree(partial);
      throw new UncheckedIOException("cannot import " + file + " into " + modelDir + ": " + e.getMessage(), e);
    }
  }
}

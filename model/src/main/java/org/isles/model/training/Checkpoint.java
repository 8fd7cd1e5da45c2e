package org.isles.model.training;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.isles.io.AtomicFiles;
import org.isles.io.Json;
import org.isles.model.run.ModelFolder;

/**
 * A checkpoint directory: the network parameters ({@value ModelFolder#PARAMETERS}, DJL's block
 * format; the weight averages when the run keeps them, see {@link WeightAverage}), the optimizer
 * state ({@value ModelFolder#OPTIMIZER}: the AdamW moments, and the training weights when the
 * parameters are averages) and the {@link TrainingState} ({@value ModelFolder#STATE}).
 *
 * <p>The files are written to a staging directory that then replaces the old checkpoint, so a
 * crash leaves either the old or the new checkpoint, never a mix of both.
 */
public final class Checkpoint {

  private Checkpoint() {}

  /** {@code trainingWeights}: those {@link WeightAverage#withAveraged} hands over, empty when the network holds them. */
  public static void write(Path dir, Block network, AdamW optimizer, NDList trainingWeights, TrainingState state) {
    Path staging = sibling(dir, ".partial");
    Path previous = sibling(dir, ".previous");
    AtomicFiles.deleteTree(staging);
    AtomicFiles.write(staging.resolve(ModelFolder.PARAMETERS), out -> network.saveParameters(new DataOutputStream(out)));
    AtomicFiles.write(staging.resolve(ModelFolder.OPTIMIZER), out -> {
      NDList optimizerState = optimizer.moments();
      optimizerState.addAll(trainingWeights);
      out.write(optimizerState.encode());
    });
    Json.write(staging.resolve(ModelFolder.STATE), state);
    try {
      AtomicFiles.deleteTree(previous);
      if (Files.exists(dir)) {
        Files.move(dir, previous, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot replace checkpoint " + dir + ": " + e.getMessage(), e);
    }
    AtomicFiles.deleteTree(previous);
  }

  /** Whether {@code dir} (or the checkpoint a crash left beside it) holds a checkpoint. */
  public static boolean exists(Path dir) {
    return Files.isRegularFile(located(dir).resolve(ModelFolder.STATE));
  }

  /**
   * Loads parameters, optimizer moments and weight averages into {@code network}, {@code optimizer}
   * and {@code average}; returns the state.
   */
  public static TrainingState read(Path dir, Block network, AdamW optimizer, WeightAverage average, NDManager manager) {
    Path checkpoint = located(dir);
    if (!exists(checkpoint)) {
      throw new IllegalArgumentException("no checkpoint in " + dir + " (missing " + ModelFolder.STATE + ")");
    }
    TrainingState state = Json.read(checkpoint.resolve(ModelFolder.STATE), TrainingState.class);
    loadParameters(checkpoint.resolve(ModelFolder.PARAMETERS), network, manager);
    try (NDManager scratch = manager.newSubManager()) {
      NDList moments = new NDList();
      NDList trainingWeights = new NDList();
      for (NDArray array : NDList.decode(scratch, Files.readAllBytes(checkpoint.resolve(ModelFolder.OPTIMIZER)))) {
        String name = array.getName();
        (name != null && name.startsWith(WeightAverage.TRAINING_WEIGHT) ? trainingWeights : moments).add(array);
      }
      optimizer.restore(moments, state.updates(), manager);
      average.restore(network.getParameters(), trainingWeights);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read optimizer state " + checkpoint.resolve(ModelFolder.OPTIMIZER) + ": " + e.getMessage(), e);
    }
    return state;
  }

  /** Loads network parameters only (a checkpoint's, or any file written by {@code Block.saveParameters}). */
  public static void loadParameters(Path file, Block network, NDManager manager) {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      network.loadParameters(manager, new DataInputStream(in));
    } catch (IOException | MalformedModelException e) {
      throw new IllegalArgumentException("cannot load network parameters from " + file + ": " + e.getMessage(), e);
    }
  }

  /** A checkpoint's parameter file; {@code path} may also name the file itself. */
  public static Path parametersFile(Path path) {
    return Files.isDirectory(path) ? located(path).resolve(ModelFolder.PARAMETERS) : path;
  }

  /** After a crash between the two renames of {@link #write}, the complete checkpoint is the ".previous" one. */
  private static Path located(Path dir) {
    Path previous = sibling(dir, ".previous");
    return !Files.exists(dir) && Files.exists(previous) ? previous : dir;
  }

  private static Path sibling(Path dir, String suffix) {
    Path absolute = dir.toAbsolutePath();
    return absolute.resolveSibling("." + absolute.getFileName() + suffix);
  }
}

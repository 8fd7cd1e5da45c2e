package org.isles.pipelines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;
import org.isles.io.AtomicFiles;
import org.isles.io.Json;

/**
 * Where a pipeline writes ({@code dir}), what it reads ({@code input}), and whether it may replace
 * cases that the folder already holds ({@code overwrite}). The folder's record, {@value
 * RunLayout#RECORD}, says which stage wrote it from which input, which cases it holds, and whether
 * the run that wrote it finished:
 *
 * <pre>{"stage": "predict", "status": "running", "input": "/data/ISLES-2022", "case_ids": ["sub-strokecase0001"]}</pre>
 *
 * <p>{@link #claim} starts a run: temporary files that killed runs left are removed; a folder of
 * another stage is refused; a folder of another input is refused unless {@code overwrite}, which
 * deletes the cases the record lists first; with the same input the run continues (the record's
 * cases stay and this run's join them); the record is written with status {@value #RUNNING}.
 * {@link Claim#finish} rewrites it with status {@value #FINISHED} as the run's last write, after
 * failures.json and every other output. A folder whose record says {@value #RUNNING} holds a run
 * that was killed (or is still writing). Two runs into one folder at the same time are not
 * supported.
 */
public record OutputFolder(Path dir, Path input, boolean overwrite) {
  public static final String RUNNING = "running";
  public static final String FINISHED = "finished";

  public OutputFolder {
    dir = dir.toAbsolutePath().normalize();
    input = input.toAbsolutePath().normalize();
  }

  /** The record file's content. */
  record Record(String stage, String status, String input, List<String> caseIds) {}

  /** A run of a stage that holds the folder until {@link #finish}. */
  public final class Claim {
    private final String stage;
    private final List<String> caseIds;

    private Claim(String stage, List<String> caseIds) {
      this.stage = stage;
      this.caseIds = caseIds;
    }

    /** Marks the folder's run finished; the last thing a run writes. */
    public void finish() {
      Json.write(RunLayout.record(dir), new Record(stage, FINISHED, input.toString(), caseIds));
    }
  }

  /**
   * Prepares the folder for a run of {@code stage} over {@code caseIds} (see the class comment).
   *
   * @param caseOutputs the files or folders a case of this stage writes, deleted when {@code
   *     overwrite} replaces the folder's cases
   */
  public Claim claim(String stage, Collection<String> caseIds, Function<String, List<Path>> caseOutputs) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new IllegalArgumentException(dir + " is a file, not a folder");
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
    }
    Record previous = read(dir);
    if (previous != null && !previous.stage().equals(stage)) {
      throw new IllegalArgumentException(dir + " holds the output of isles " + previous.stage() + ", not of isles " + stage
          + "; choose another folder");
    }
    if (previous != null && !overwrite && !previous.input().equals(input.toString())) {
      throw new IllegalArgumentException(dir + " holds cases of " + previous.input() + ", not " + input + "; use --overwrite");
    }
    int leftovers = AtomicFiles.removeLeftovers(dir);
    if (leftovers > 0) {
      System.err.printf("removed %d temporary files of an earlier run from %s%n", leftovers, dir);
    }
    TreeSet<String> held = new TreeSet<>();
    if (previous != null && overwrite) {
      deleteOutputs(previous.caseIds(), caseOutputs);
    } else if (previous != null) {
      held.addAll(previous.caseIds());
    } else if (isNotEmpty(dir)) {
      System.err.printf("%s has no %s (written before isles recorded inputs): taking it over for %s%n", dir, RunLayout.RECORD, input);
    }
    held.addAll(caseIds);
    List<String> ids = List.copyOf(held);
    Json.write(RunLayout.record(dir), new Record(stage, RUNNING, input.toString(), ids));
    return new Claim(stage, ids);
  }

  /** Whether a run of {@code stage} from {@code input} finished writing {@code dir}. */
  public static boolean isFinished(Path dir, String stage, Path input) {
    Record record = read(dir.toAbsolutePath().normalize());
    return record != null && record.stage().equals(stage) && record.status().equals(FINISHED)
        && record.input().equals(input.toAbsolutePath().normalize().toString());
  }

  private static Record read(Path dir) {
    Path file = RunLayout.record(dir);
    if (!Files.isRegularFile(file)) {
      return null;
    }
    Record record;
    try {
      record = Json.read(file, Record.class);
    } catch (UncheckedIOException e) {
      throw new IllegalArgumentException(file + " is not a readable output record: " + e.getCause().getMessage(), e);
    }
    if (record.stage() == null || record.status() == null || record.input() == null || record.caseIds() == null) {
      throw new IllegalArgumentException(file + " lacks stage, status, input or case_ids");
    }
    return record;
  }

  private void deleteOutputs(List<String> caseIds, Function<String, List<Path>> caseOutputs) {
    for (String caseId : caseIds) {
      for (Path output : caseOutputs.apply(caseId)) {
        Path path = output.toAbsolutePath().normalize();
        if (!path.startsWith(dir) || path.equals(dir)) {
          throw new IllegalArgumentException(RunLayout.record(dir) + " lists case '" + caseId + "', whose outputs lie outside " + dir);
        }
        AtomicFiles.deleteTree(path);
      }
    }
  }

  private static boolean isNotEmpty(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isPresent();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }
}

package org.isles.io;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes a file under a temporary name in the same directory and renames it when complete, so a
 * reader never sees half a file and a crash loses nothing that was there before.
 */
public final class AtomicFiles {
  /** ".NAME.UUID.tmp": the temporary name of {@link #write}, which a killed writer leaves behind. */
  private static final Pattern TEMPORARY = Pattern.compile("\\..+\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.tmp");

  private AtomicFiles() {}

  private static Path temporaryFor(Path target) {
    return target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
  }

  /** Whether {@code file} is a temporary file of {@link #write}, left behind if its writer was killed. */
  public static boolean isTemporary(Path file) {
    return TEMPORARY.matcher(file.getFileName().toString()).matches();
  }

  /**
   * Deletes the temporary files that killed writers left under {@code root} (at any depth) and
   * returns how many; call it before a run writes into {@code root}, never while one does.
   */
  public static int removeLeftovers(Path root) {
    if (!Files.isDirectory(root)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(root)) {
      int removed = 0;
      for (Path file : files.filter(f -> isTemporary(f) && Files.isRegularFile(f)).toList()) {
        Files.deleteIfExists(file);
        removed++;
      }
      return removed;
    } catch (IOException | UncheckedIOException e) {
      throw new UncheckedIOException("cannot remove temporary files under " + root + ": " + e.getMessage(),
          e instanceof IOException io ? io : ((UncheckedIOException) e).getCause());
    }
  }

  /** Writes to a stream; closing it is allowed and does nothing (the atomic writer owns it). */
  @FunctionalInterface
  public interface StreamWriter {
    void writeTo(OutputStream out) throws IOException;
  }

  public static void write(Path target, StreamWriter writer) {
    Path directory = target.toAbsolutePath().getParent();
    Path temporary = null;
    try {
      Files.createDirectories(directory);
      // Not createTempFile: its files are private (0600); outputs get the umask's usual permissions.
      temporary = temporaryFor(directory.resolve(target.getFileName()));
      try (OutputStream out = Files.newOutputStream(temporary, StandardOpenOption.CREATE_NEW)) {
        writer.writeTo(new NonClosingStream(out));
      }
      Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    } finally {
      if (temporary != null) {
        try {
          Files.deleteIfExists(temporary);
        } catch (IOException ignored) {
          // the rename succeeded or the write failed; a leftover temporary file is harmless
        }
      }
    }
  }

  public static void writeBytes(Path target, byte[] bytes) {
    write(target, out -> out.write(bytes));
  }

  /** Libraries (Jackson, Avro, ImageIO) close what they write to; the rename must come after. */
  private static final class NonClosingStream extends FilterOutputStream {
    NonClosingStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }

  /** Deletes {@code root} and everything below it; nothing when it does not exist. */
  public static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root + ": " + e.getMessage(), e);
    }
  }
}

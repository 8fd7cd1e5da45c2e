package org.isles.io;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Writes a file under a temporary name in the same directory and renames it when complete, so a
 * reader never sees half a file and a crash loses nothing that was there before.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

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
      temporary = directory.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
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
}

package org.isles.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's Python ({@code /usr/bin/python3} with numpy, scipy, nibabel, torch) as an
 * independent oracle. Arrays cross as raw little-endian files, so nothing depends on a shared
 * format library.
 */
public final class PythonOracle {
  public static final Path PYTHON = Path.of("/usr/bin/python3");

  private PythonOracle() {}

  /** Runs {@code script} with {@code args} in {@code sys.argv[1:]} and returns its stdout. */
  public static String run(String script, String... args) {
    List<String> command = new ArrayList<>(List.of(PYTHON.toString(), "-c", script));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
      byte[] out = process.getInputStream().readAllBytes();
      byte[] err = process.getErrorStream().readAllBytes();
      if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
        throw new AssertionError("python oracle failed: " + new String(err, StandardCharsets.UTF_8));
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError("cannot run " + PYTHON + " (install python3-numpy python3-scipy python3-nibabel)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public static void writeFloats(Path file, float[] values) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(values);
    Files.write(file, buffer.array());
  }

  public static void writeDoubles(Path file, double[] values) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asDoubleBuffer().put(values);
    Files.write(file, buffer.array());
  }

  public static float[] readFloats(Path file) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    float[] values = new float[buffer.remaining() / 4];
    buffer.asFloatBuffer().get(values);
    return values;
  }

  public static double[] readDoubles(Path file) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    double[] values = new double[buffer.remaining() / 8];
    buffer.asDoubleBuffer().get(values);
    return values;
  }

  public static int[] readInts(Path file) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    int[] values = new int[buffer.remaining() / 4];
    buffer.asIntBuffer().get(values);
    return values;
  }
}

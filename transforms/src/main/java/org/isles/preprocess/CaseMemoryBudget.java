package org.isles.preprocess;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The heap one case may take while it is preprocessed. {@link CasePreprocessor} estimates a case's
 * need from its headers alone and refuses it before reading a voxel when the need is over the
 * limit, so a header claiming 36 mm voxels resampled to 1 mm costs its case, not the JVM.
 *
 * <p>The limit is either a fixed number of bytes or, by default, a share of this JVM's heap split
 * among the cases in flight: {@code Runtime.maxMemory() * } {@value #HEAP_SHARE} {@code / workers}.
 * The rest of the heap is left to the runner, the outputs being written and (in inference) the
 * models. It is resolved where the case runs, so a Flink TaskManager uses its own heap.
 *
 * @param bytes the fixed limit, or 0 for a share of the heap
 * @param workers cases preprocessed at once in one JVM (for the heap share)
 */
public record CaseMemoryBudget(long bytes, int workers) implements Serializable {
  /** The share of the heap that the cases in flight may use together, by default. */
  public static final double HEAP_SHARE = 0.75;
  /** The option value that asks for the default. */
  public static final String AUTO = "auto";
  private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)i?b?");
  private static final double GB = 1L << 30;

  public CaseMemoryBudget {
    if (bytes < 0) {
      throw new IllegalArgumentException("case memory budget must be positive, got " + bytes + " bytes");
    }
    if (workers < 1) {
      throw new IllegalArgumentException("case memory budget needs at least 1 worker, got " + workers);
    }
  }

  /** A fixed limit of {@code bytes}. */
  public static CaseMemoryBudget ofBytes(long bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("case memory budget must be positive, got " + bytes + " bytes");
    }
    return new CaseMemoryBudget(bytes, 1);
  }

  /** The default: {@value #HEAP_SHARE} of the heap, split among {@code workers} cases at once. */
  public static CaseMemoryBudget heapShare(int workers) {
    return new CaseMemoryBudget(0, workers);
  }

  /**
   * {@value #AUTO} for {@link #heapShare}, or a size: a number of bytes with an optional unit
   * k, m, g or t (powers of 1024; "4g", "512m", "1.5GB", "4GiB").
   */
  public static CaseMemoryBudget parse(String text, int workers) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    if (value.equals(AUTO)) {
      return heapShare(workers);
    }
    Matcher size = SIZE.matcher(value);
    if (!size.matches()) {
      throw new IllegalArgumentException("case memory budget must be " + AUTO + " or a size such as 4g or 512m, got '" + text + "'");
    }
    int power = size.group(2).isEmpty() ? 0 : "kmgt".indexOf(size.group(2)) + 1;
    double bytes = Double.parseDouble(size.group(1)) * Math.pow(1024, power);
    if (!(bytes >= 1) || bytes >= Long.MAX_VALUE) {
      throw new IllegalArgumentException("case memory budget must be at least 1 byte and finite, got '" + text + "'");
    }
    return ofBytes((long) bytes);
  }

  /** The limit in bytes, resolved in this JVM. */
  public long limitBytes() {
    return bytes > 0 ? bytes : (long) (Runtime.getRuntime().maxMemory() * HEAP_SHARE / workers);
  }

  /** Whether a case needing {@code neededBytes} fits. */
  public boolean allows(long neededBytes) {
    return neededBytes <= limitBytes();
  }

  /** e.g. "4.00 GB", or "0.750 GB = 0.75 of the heap / 2 workers" for the default. */
  public String describe() {
    String limit = gigabytes(limitBytes()) + " GB";
    return bytes > 0 ? limit : limit + " = " + HEAP_SHARE + " of the heap / " + workers + " workers";
  }

  /** Bytes as GB (2^30) in plain digits: three significant ones, whole GB from 1000 on. */
  static String gigabytes(long bytes) {
    double gb = bytes / GB;
    return gb >= 1000 ? String.format(Locale.ROOT, "%.0f", gb) : new BigDecimal(gb).round(new MathContext(3)).toPlainString();
  }
}

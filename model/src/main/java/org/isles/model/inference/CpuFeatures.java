package org.isles.model.inference;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The CPU's model name and feature flags, as Linux lists them in {@code /proc/cpuinfo} (the
 * first processor's entry: every core of one machine reports the same flags).
 *
 * @param model the "model name" line, or "unknown"
 * @param flags the "flags" line's words, e.g. {@code avx2}, {@code avx512_bf16}, {@code amx_bf16}
 */
public record CpuFeatures(String model, Set<String> flags) implements Serializable {
  private static final Path CPUINFO = Path.of("/proc/cpuinfo");
  /** AMX tiles with bf16 multiply-accumulate (Intel Xeon Sapphire Rapids and later). */
  public static final String AMX_BF16 = "amx_bf16";
  /** AVX-512 bf16 dot products (Cooper Lake, Sapphire Rapids, AMD Zen 4). */
  public static final String AVX512_BF16 = "avx512_bf16";
  /** The flags of native bfloat16 arithmetic, in name order: either makes bf16 convolutions fast. */
  public static final List<String> BF16_FLAGS = List.of(AMX_BF16, AVX512_BF16);

  public CpuFeatures {
    flags = Set.copyOf(flags);
  }

  /** This machine's CPU; model "unknown" and no flags where {@code /proc/cpuinfo} cannot be read. */
  public static CpuFeatures ofThisMachine() {
    try {
      return parse(Files.readString(CPUINFO));
    } catch (IOException | RuntimeException e) {
      return new CpuFeatures("unknown", Set.of());
    }
  }

  /** The first processor's entry of a {@code /proc/cpuinfo} text. */
  public static CpuFeatures parse(String cpuinfo) {
    String model = "unknown";
    Set<String> flags = null;
    for (String line : cpuinfo.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String key = line.substring(0, colon).strip();
      String value = line.substring(colon + 1).strip();
      if (key.equals("model name") && model.equals("unknown")) {
        model = value;
      } else if (key.equals("flags") && flags == null) {
        flags = new TreeSet<>(Arrays.asList(value.split("\\s+")));
      }
    }
    return new CpuFeatures(model, flags == null ? Set.of() : flags);
  }

  public boolean has(String flag) {
    return flags.contains(flag);
  }

  /** Which of {@link #BF16_FLAGS} this CPU has, in name order. */
  public List<String> bf16Flags() {
    return BF16_FLAGS.stream().filter(this::has).toList();
  }

  /** Whether the CPU computes in bfloat16 natively rather than torch emulating it. */
  public boolean hasNativeBf16() {
    return !bf16Flags().isEmpty();
  }
}

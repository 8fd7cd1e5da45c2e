package org.isles.model.inference;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.isles.model.run.RunModel;

/**
 * The precision a prediction runs in: what was requested, what it resolved to, and why.
 *
 * <p>How {@link #resolve} decides:
 * <ul>
 *   <li>{@code int8} is refused: it is not built. ONNX Runtime's int8 QLinearConv was measured at
 *       only 1.2x libtorch's float32 on a 3-D convolution (issue 15), not worth a calibration step.
 *   <li>{@code bf16} is refused unless every model is a U-Net built here ({@link Bfloat16Network}
 *       makes bfloat16 copies of its parameters): an ONNX model runs on ONNX Runtime and an imported
 *       TorchScript module keeps the dtype it was saved with. On a CPU without native bfloat16
 *       (neither {@value CpuFeatures#AMX_BF16} nor {@value CpuFeatures#AVX512_BF16}) it still runs,
 *       correctly but emulated and far slower, and the reason says so.
 *   <li>{@code auto} is {@code bf16} where the CPU computes in bfloat16 natively
 *       ({@value CpuFeatures#AMX_BF16} or {@value CpuFeatures#AVX512_BF16}) and every model can run
 *       in bf16. With AMX a 3-D convolution measured 2.1-2.7x faster through DJL (issue 15); on an
 *       AMD EPYC with {@value CpuFeatures#AVX512_BF16} and no AMX (Zen 4) the demo's U-Net measured
 *       1.6-1.8x faster per window in its batches of 2 and a case 1.8x, and a trained demo
 *       model's probabilities stayed within 0.015 of float32, its test and held-out mean Dice at
 *       the chosen threshold within 0.002 (docs/BENCHMARKS.md, "Reduced precision"). Everywhere
 *       else it is {@code fp32}: without either flag torch emulates bf16 (10-140x slower than
 *       fp32, same section).
 * </ul>
 *
 * @param requested the value asked for (any of {@link Precision})
 * @param resolved {@link Precision#FP32} or {@link Precision#BF16}
 * @param reason one line: why {@code resolved}
 * @param cpu the CPU it was resolved for
 */
public record PrecisionChoice(Precision requested, Precision resolved, String reason, CpuFeatures cpu)
    implements Serializable {
  public PrecisionChoice {
    if (resolved != Precision.FP32 && resolved != Precision.BF16) {
      throw new IllegalArgumentException("a resolved precision is fp32 or bf16, got " + resolved.id());
    }
  }

  /** Plain float32, e.g. for a check or a test. */
  public static PrecisionChoice fp32() {
    return new PrecisionChoice(Precision.FP32, Precision.FP32, "as requested", new CpuFeatures("unknown", Set.of()));
  }

  /**
   * Resolves {@code requested} for {@code models} (id to format) on {@code cpu}; a value the
   * models' engines cannot serve is an {@link IllegalArgumentException} with a one-line message.
   */
  public static PrecisionChoice resolve(Precision requested, CpuFeatures cpu, Map<String, RunModel.Format> models) {
    String notBuiltHere = models.entrySet().stream().filter(e -> e.getValue() != RunModel.Format.DJL_PARAMETERS)
        .map(e -> e.getKey() + " (" + engine(e.getValue()) + ")").findFirst().orElse(null);
    boolean nativeBf16 = cpu.hasNativeBf16();
    return switch (requested) {
      case FP32 -> new PrecisionChoice(requested, Precision.FP32, "as requested", cpu);
      case INT8 -> throw new IllegalArgumentException("precision int8 is not built (ONNX Runtime's int8 convolution measured"
          + " only 1.2x float32 on 3-D convolutions); use fp32, bf16 or auto");
      case BF16 -> {
        if (notBuiltHere != null) {
          throw new IllegalArgumentException("precision bf16 needs networks trained here; model " + notBuiltHere
              + " runs in float32 only; use fp32 or auto");
        }
        yield new PrecisionChoice(requested, Precision.BF16, nativeBf16 ? "as requested"
            : "as requested; this CPU has neither " + CpuFeatures.AMX_BF16 + " nor " + CpuFeatures.AVX512_BF16
                + ", so torch emulates bf16 (correct, but far slower than fp32)", cpu);
      }
      case AUTO -> {
        if (notBuiltHere != null) {
          yield new PrecisionChoice(requested, Precision.FP32, "auto: model " + notBuiltHere + " runs in float32 only", cpu);
        }
        if (nativeBf16) {
          String flag = cpu.has(CpuFeatures.AMX_BF16) ? CpuFeatures.AMX_BF16 + " (AMX)" : CpuFeatures.AVX512_BF16;
          yield new PrecisionChoice(requested, Precision.BF16,
              "auto: the CPU has " + flag + ", where bf16 convolutions are faster than fp32", cpu);
        }
        yield new PrecisionChoice(requested, Precision.FP32, "auto: the CPU has neither " + CpuFeatures.AMX_BF16
            + " nor " + CpuFeatures.AVX512_BF16 + ", so bf16 would be emulated", cpu);
      }
    };
  }

  /** One line for the console, e.g. {@code precision fp32 (requested auto: ...; CPU AMD EPYC)}. */
  public String describe() {
    return "precision " + resolved.id() + " (requested " + requested.id() + "; " + reason + "; CPU " + cpu.model() + ")";
  }

  /** The record written with the predictions. */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("requested", requested.id());
    json.put("resolved", resolved.id());
    json.put("reason", reason);
    json.put("cpu_model", cpu.model());
    json.put("cpu_bf16_flags", cpu.bf16Flags());
    return json;
  }

  private static String engine(RunModel.Format format) {
    return switch (format) {
      case ONNX -> "ONNX, run by ONNX Runtime";
      case TORCHSCRIPT -> "imported TorchScript";
      case DJL_PARAMETERS -> "trained here";
    };
  }
}

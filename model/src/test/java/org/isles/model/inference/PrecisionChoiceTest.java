package org.isles.model.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.isles.model.run.RunModel;
import org.junit.jupiter.api.Test;

/** {@code auto} resolves as {@link PrecisionChoice} documents it; values no engine here serves are refused in one line. */
class PrecisionChoiceTest {
  private static final Map<String, RunModel.Format> TRAINED =
      Map.of("fold_0/seed_0", RunModel.Format.DJL_PARAMETERS, "fold_1/seed_0", RunModel.Format.DJL_PARAMETERS);
  private static final Map<String, RunModel.Format> WITH_ONNX =
      Map.of("fold_0/seed_0", RunModel.Format.DJL_PARAMETERS, "imported/unet", RunModel.Format.ONNX);
  private static final Map<String, RunModel.Format> WITH_TORCHSCRIPT = Map.of("imported/ts", RunModel.Format.TORCHSCRIPT);

  /** An AMX Xeon (Sapphire Rapids: the machine of issue 15), an AVX-512 bf16 CPU without AMX, and an AVX2 EPYC. */
  private static final CpuFeatures SAPPHIRE_RAPIDS =
      cpu("Intel(R) Xeon(R) Platinum 8488C", "fpu avx2 avx512f avx512_bf16 avx512_fp16 amx_bf16 amx_tile amx_int8 avx_vnni");
  private static final CpuFeatures ZEN4 = cpu("AMD EPYC 9R14", "fpu avx2 avx512f avx512_bf16 avx512_vnni");
  private static final CpuFeatures AVX2_ONLY = cpu("AMD EPYC", "fpu sse4_2 avx avx2 fma");

  @Test
  void autoIsBf16OnlyWithNativeBf16AndNetworksTrainedHere() {
    PrecisionChoice amx = PrecisionChoice.resolve(Precision.AUTO, SAPPHIRE_RAPIDS, TRAINED);
    assertEquals(Precision.BF16, amx.resolved());
    assertTrue(amx.reason().contains("amx_bf16"), amx.reason());
    PrecisionChoice zen4 = PrecisionChoice.resolve(Precision.AUTO, ZEN4, TRAINED);
    assertEquals(Precision.BF16, zen4.resolved());
    assertEquals("auto: the CPU has avx512_bf16, where bf16 convolutions are faster than fp32", zen4.reason());
    assertEquals(Precision.FP32, PrecisionChoice.resolve(Precision.AUTO, ZEN4, WITH_ONNX).resolved());
    PrecisionChoice avx2 = PrecisionChoice.resolve(Precision.AUTO, AVX2_ONLY, TRAINED);
    assertEquals(Precision.FP32, avx2.resolved());
    assertTrue(avx2.reason().contains("neither amx_bf16 nor avx512_bf16"), avx2.reason());
    PrecisionChoice imported = PrecisionChoice.resolve(Precision.AUTO, SAPPHIRE_RAPIDS, WITH_ONNX);
    assertEquals(Precision.FP32, imported.resolved());
    assertTrue(imported.reason().contains("imported/unet"), imported.reason());
    assertEquals(Precision.FP32, PrecisionChoice.resolve(Precision.AUTO, SAPPHIRE_RAPIDS, WITH_TORCHSCRIPT).resolved());
  }

  @Test
  void explicitValuesAreKeptAndRecorded() {
    assertEquals(Precision.FP32, PrecisionChoice.resolve(Precision.FP32, SAPPHIRE_RAPIDS, TRAINED).resolved());
    PrecisionChoice emulated = PrecisionChoice.resolve(Precision.BF16, AVX2_ONLY, TRAINED);
    assertEquals(Precision.BF16, emulated.resolved());
    assertTrue(emulated.reason().contains("emulates"), emulated.reason());
    assertEquals("as requested", PrecisionChoice.resolve(Precision.BF16, SAPPHIRE_RAPIDS, TRAINED).reason());
    Map<String, Object> json = PrecisionChoice.resolve(Precision.AUTO, SAPPHIRE_RAPIDS, TRAINED).toJson();
    assertEquals("auto", json.get("requested"));
    assertEquals("bf16", json.get("resolved"));
    assertEquals("Intel(R) Xeon(R) Platinum 8488C", json.get("cpu_model"));
    assertEquals(java.util.List.of("amx_bf16", "avx512_bf16"), json.get("cpu_bf16_flags"));
  }

  @Test
  void valuesTheEnginesCannotServeAreRefusedInOneLine() {
    IllegalArgumentException int8 = assertThrows(IllegalArgumentException.class,
        () -> PrecisionChoice.resolve(Precision.INT8, SAPPHIRE_RAPIDS, TRAINED));
    assertTrue(int8.getMessage().startsWith("precision int8 is not built"), int8.getMessage());
    IllegalArgumentException onnx = assertThrows(IllegalArgumentException.class,
        () -> PrecisionChoice.resolve(Precision.BF16, SAPPHIRE_RAPIDS, WITH_ONNX));
    assertTrue(onnx.getMessage().contains("imported/unet (ONNX, run by ONNX Runtime) runs in float32 only"), onnx.getMessage());
    IllegalArgumentException torchScript = assertThrows(IllegalArgumentException.class,
        () -> PrecisionChoice.resolve(Precision.BF16, AVX2_ONLY, WITH_TORCHSCRIPT));
    assertTrue(torchScript.getMessage().contains("imported TorchScript"), torchScript.getMessage());
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> Precision.parse("fp16"));
    assertEquals("precision must be fp32, bf16, int8 or auto, got 'fp16'", unknown.getMessage());
    for (IllegalArgumentException e : java.util.List.of(int8, onnx, torchScript, unknown)) {
      assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }
    assertEquals(Precision.BF16, Precision.parse(" BF16 "));
  }

  @Test
  void cpuinfoIsReadFromTheFirstProcessor() {
    CpuFeatures parsed = CpuFeatures.parse("processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Xeon X\n"
        + "flags\t\t: fpu avx2 amx_bf16\n\nprocessor\t: 1\nmodel name\t: Other\nflags\t\t: fpu\n");
    assertEquals("Xeon X", parsed.model());
    assertEquals(Set.of("fpu", "avx2", "amx_bf16"), parsed.flags());
    assertEquals(new CpuFeatures("unknown", Set.of()), CpuFeatures.parse("garbage"));
  }

  private static CpuFeatures cpu(String model, String flags) {
    return new CpuFeatures(model, Set.of(flags.split(" ")));
  }
}

package org.isles.model.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.isles.model.OfflinePyTorch;
import org.isles.testing.PythonOracle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Global-norm clipping against torch.nn.utils.clip_grad_norm_ on two parameters. */
class GradientClippingTest {
  private static final float[] A = {0.5f, -1.5f, 2.0f};
  private static final float[] B = {3.0f, -0.25f};

  private static final String TORCH = """
      import sys, numpy as np, torch
      work, max_norm = sys.argv[1], float(sys.argv[2])
      a = torch.nn.Parameter(torch.from_numpy(np.fromfile(work + '/a.bin', '<f4')))
      b = torch.nn.Parameter(torch.from_numpy(np.fromfile(work + '/b.bin', '<f4')))
      ((a ** 3).sum() * (b ** 2).sum()).backward()
      norm = torch.nn.utils.clip_grad_norm_([a, b], max_norm)
      np.concatenate([a.grad.numpy(), b.grad.numpy(), [norm.item()]]).astype('<f4').tofile(work + '/out.bin')
      """;

  @TempDir Path work;

  @Test
  void clipsLikeTorch() throws IOException {
    PythonOracle.writeFloats(work.resolve("a.bin"), A);
    PythonOracle.writeFloats(work.resolve("b.bin"), B);
    PythonOracle.run(TORCH, work.toString(), "5.0");
    float[] torch = PythonOracle.readFloats(work.resolve("out.bin"));
    try (NDManager manager = OfflinePyTorch.newBaseManager()) {
      Parameter a = parameter(manager, "a", A);
      Parameter b = parameter(manager, "b", B);
      try (NDScope scope = new NDScope(); Autograd recording = Autograd.recording()) {
        NDArray x = a.getArray();
        NDArray y = b.getArray();
        Autograd.backward(x.pow(3).sum().mul(y.pow(2).sum()));
      }
      double norm = GradientClipping.clip(List.of(new Pair<>("a", a), new Pair<>("b", b)), 5f);
      assertEquals(torch[5], norm, 1e-4 * torch[5]);
      assertArrayEquals(new float[] {torch[0], torch[1], torch[2]}, a.getArray().getGradient().toFloatArray(), 1e-5f);
      assertArrayEquals(new float[] {torch[3], torch[4]}, b.getArray().getGradient().toFloatArray(), 1e-5f);
    }
  }

  @Test
  void discardZeroesInfiniteAndNanGradients() {
    try (NDManager manager = OfflinePyTorch.newBaseManager()) {
      Parameter a = parameter(manager, "a", new float[] {1e30f, -1e30f, 2f});
      try (NDScope scope = new NDScope(); Autograd recording = Autograd.recording()) {
        NDArray x = a.getArray();
        Autograd.backward(x.mul(x).mul(x).sum().add(x.sqrt().sum()));
      }
      List<Pair<String, Parameter>> parameters = List.of(new Pair<>("a", a));
      float[] exploded = a.getArray().getGradient().toFloatArray();
      org.junit.jupiter.api.Assertions.assertTrue(
          Float.isInfinite(exploded[0]) && Float.isNaN(exploded[1]), java.util.Arrays.toString(exploded));
      org.junit.jupiter.api.Assertions.assertFalse(Double.isFinite(GradientClipping.clip(parameters, 5f)));
      GradientClipping.discard(parameters);
      assertArrayEquals(new float[] {0, 0, 0}, a.getArray().getGradient().toFloatArray());
    }
  }

  /**
   * After a discard, backward must still accumulate into torch's own memory: freed Java buffers
   * of the gradient's size are reused and filled with a sentinel before the next backward.
   */
  @Test
  void gradientsKeepTheirOwnMemoryAfterADiscard() {
    int size = 4096;
    try (NDManager manager = OfflinePyTorch.newBaseManager()) {
      Parameter a = parameter(manager, "a", new float[size]);
      List<Pair<String, Parameter>> parameters = List.of(new Pair<>("a", a));
      for (int round = 0; round < 3; round++) {
        try (NDScope scope = new NDScope(); Autograd recording = Autograd.recording()) {
          Autograd.backward(a.getArray().mul(2).sum());
        }
        try (NDScope iteration = new NDScope()) {  // as in the trainer's step
          GradientClipping.discard(parameters);
        }
        System.gc();
        List<ByteBuffer> sentinels = new ArrayList<>();
        for (int n = 0; n < 64; n++) {
          ByteBuffer buffer = ByteBuffer.allocateDirect(size * Float.BYTES).order(ByteOrder.nativeOrder());
          while (buffer.hasRemaining()) {
            buffer.putFloat(7f);
          }
          sentinels.add(buffer);
        }
        try (NDScope scope = new NDScope(); Autograd recording = Autograd.recording()) {
          Autograd.backward(a.getArray().mul(2).sum());
        }
        float[] gradient = a.getArray().getGradient().toFloatArray();
        float[] expected = new float[size];
        Arrays.fill(expected, 2f);
        assertArrayEquals(expected, gradient, "round " + round + ", " + sentinels.size() + " sentinel buffers");
        GradientClipping.discard(parameters);
      }
    }
  }

  private static Parameter parameter(NDManager manager, String name, float[] values) {
    NDArray array = manager.create(values);
    array.setRequiresGradient(true);
    return Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optArray(array).build();
  }
}

package org.isles.model.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.isles.model.OfflinePyTorch;
import org.isles.testing.PythonOracle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AdamW with a cosine schedule against torch.optim.AdamW + CosineAnnealingLR on the same problem. */
class AdamWTest {
  private static final float[] START = {0.5f, -1.2f, 2.0f, 0.03f, -0.7f, 1.1f};
  private static final float[] TARGET = {1.0f, 0.0f, -1.0f, 0.5f, 0.25f, 3.0f};
  private static final int STEPS = 6;
  private static final float LEARNING_RATE = 0.1f;
  private static final float WEIGHT_DECAY = 0.05f;

  private static final String TORCH = """
      import sys, numpy as np, torch
      work, lr, wd, steps = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
      start = np.fromfile(work + '/start.bin', '<f4'); target = torch.from_numpy(np.fromfile(work + '/target.bin', '<f4'))
      w = torch.nn.Parameter(torch.from_numpy(start.copy()))
      opt = torch.optim.AdamW([w], lr=lr, weight_decay=wd)
      sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=steps, eta_min=0)
      for _ in range(steps):
          opt.zero_grad()
          (((w - target) ** 3).abs().sum() + (w * target).sum() ** 2).backward()
          opt.step(); sched.step()
      state = opt.state[w]
      np.concatenate([w.detach().numpy(), state['exp_avg'].numpy(), state['exp_avg_sq'].numpy()]).astype('<f4').tofile(work + '/out.bin')
      """;

  @TempDir Path work;

  @Test
  void updatesAndMomentsMatchTorch() throws IOException {
    PythonOracle.writeFloats(work.resolve("start.bin"), START);
    PythonOracle.writeFloats(work.resolve("target.bin"), TARGET);
    PythonOracle.run(TORCH, work.toString(), String.valueOf(LEARNING_RATE), String.valueOf(WEIGHT_DECAY), String.valueOf(STEPS));
    float[] torch = PythonOracle.readFloats(work.resolve("out.bin"));

    try (NDManager manager = OfflinePyTorch.newBaseManager()) {
      Parameter w = parameter(manager, START);
      NDArray target = manager.create(TARGET);
      AdamW optimizer = new AdamW(cosine(STEPS), WEIGHT_DECAY);
      for (int step = 0; step < STEPS; step++) {
        step(optimizer, w, target);
      }
      int n = START.length;
      assertArrayEquals(slice(torch, 0, n), w.getArray().toFloatArray(), 1e-5f, "weights");
      NDList moments = optimizer.moments();
      assertArrayEquals(slice(torch, n, n), moments.get("m:w").toFloatArray(), 1e-5f, "first moments");
      assertArrayEquals(slice(torch, 2 * n, n), moments.get("v:w").toFloatArray(), 1e-4f, "second moments");
      assertEquals(0f, optimizer.learningRate(), 1e-7f, "the cosine schedule ends at 0");
    }
  }

  @Test
  void restoredStateContinuesExactlyLikeTheUninterruptedOptimizer() {
    try (NDManager manager = OfflinePyTorch.newBaseManager()) {
      NDArray target = manager.create(TARGET);
      Parameter straight = parameter(manager, START);
      AdamW uninterrupted = new AdamW(cosine(STEPS), WEIGHT_DECAY);
      for (int step = 0; step < STEPS; step++) {
        step(uninterrupted, straight, target);
      }

      Parameter resumed = parameter(manager, START);
      AdamW first = new AdamW(cosine(STEPS), WEIGHT_DECAY);
      for (int step = 0; step < STEPS / 2; step++) {
        step(first, resumed, target);
      }
      byte[] saved = first.moments().encode();
      int updates = first.updates();
      first.close();
      AdamW second = new AdamW(cosine(STEPS), WEIGHT_DECAY);
      second.restore(NDList.decode(manager, saved), updates, manager);
      assertEquals(first.learningRate(), second.learningRate());
      for (int step = STEPS / 2; step < STEPS; step++) {
        step(second, resumed, target);
      }
      assertArrayEquals(straight.getArray().toFloatArray(), resumed.getArray().toFloatArray(), 0f);
    }
  }

  private static Tracker cosine(int steps) {
    return Tracker.cosine().setBaseValue(LEARNING_RATE).optFinalValue(0).setMaxUpdates(steps).build();
  }

  private static Parameter parameter(NDManager manager, float[] values) {
    NDArray array = manager.create(values);
    array.setRequiresGradient(true);
    return Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).optArray(array).build();
  }

  private static void step(AdamW optimizer, Parameter w, NDArray target) {
    try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope();
        Autograd recording = Autograd.recording()) {
      NDArray x = w.getArray();
      NDArray loss = x.sub(target).pow(3).abs().sum().add(x.mul(target).sum().pow(2));
      Autograd.backward(loss);
    }
    optimizer.update(List.of(new Pair<>("w", w)));
  }

  private static float[] slice(float[] values, int from, int length) {
    float[] part = new float[length];
    System.arraycopy(values, from, part, 0, length);
    return part;
  }
}

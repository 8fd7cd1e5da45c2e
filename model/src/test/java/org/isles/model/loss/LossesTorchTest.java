package org.isles.model.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.isles.model.OfflinePyTorch;
import org.isles.testing.PythonOracle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every loss against its formula written in torch (and torch's own BCEWithLogitsLoss). */
class LossesTorchTest {
  private static final Shape SHAPE = new Shape(2, 1, 6, 7, 8);

  private static final String TORCH_FORMULAS = """
      import sys, numpy as np, torch
      import torch.nn.functional as F
      shape = (2, 1, 6, 7, 8)
      x = torch.from_numpy(np.fromfile(sys.argv[1], dtype='<f4').reshape(shape)).double()
      p = torch.sigmoid(x)
      def dice(g, eps):
          return 1 - (2 * (p * g).sum() + eps) / (p.sum() + g.sum() + eps)
      def bce(g, w):
          return F.binary_cross_entropy_with_logits(x, g, pos_weight=torch.tensor([w], dtype=torch.float64))
      def tversky(g, a, b, gamma, eps):
          tp = (p * g).sum(); fp = (p * (1 - g)).sum(); fn = ((1 - p) * g).sum()
          return (1 - (tp + eps) / (tp + a * fp + b * fn + eps)) ** gamma
      for path in sys.argv[2:]:
          g = torch.from_numpy(np.fromfile(path, dtype='<f4').reshape(shape)).double()
          values = [dice(g, 1e-5), dice(g, 1.0), bce(g, 1.0), bce(g, 3.0),
                    tversky(g, 0.3, 0.7, 1.0, 1e-5), tversky(g, 0.3, 0.7, 0.75, 1e-5),
                    dice(g, 1e-5) + bce(g, 1.0), 0.5 * tversky(g, 0.3, 0.7, 1.0, 1e-5) + 2 * bce(g, 2.0)]
          print(' '.join(repr(float(v)) for v in values))
      """;

  @TempDir Path work;

  @Test
  void lossesMatchTorchFormulas() throws IOException {
    Map<String, Loss> losses = new LinkedHashMap<>();
    losses.put("dice eps 1e-5", new SoftDiceLoss());
    losses.put("dice eps 1", new SoftDiceLoss(1f));
    losses.put("bce", new BceWithLogitsLoss());
    losses.put("bce pos weight 3", new BceWithLogitsLoss(3f));
    losses.put("tversky", new TverskyLoss());
    losses.put("focal tversky", new TverskyLoss(0.3f, 0.7f, 0.75f, 1e-5f));
    losses.put("dice+bce", new DiceBceLoss());
    losses.put("weighted tversky+bce", new DiceBceLoss(new TverskyLoss(), 0.5f, new BceWithLogitsLoss(2f), 2f));

    try (NDManager manager = OfflinePyTorch.newBaseManager()) {
      manager.getEngine().setRandomSeed(11);
      // logits up to about +-12 exercise the stable log-sigmoid on both sides
      NDArray logits = manager.randomNormal(0, 4, SHAPE, DataType.FLOAT32);
      NDArray sparseLabel = manager.randomUniform(0, 1, SHAPE).lt(0.1).toType(DataType.FLOAT32, false);
      NDArray emptyLabel = manager.zeros(SHAPE);
      PythonOracle.writeFloats(work.resolve("x.bin"), logits.toFloatArray());
      PythonOracle.writeFloats(work.resolve("sparse.bin"), sparseLabel.toFloatArray());
      PythonOracle.writeFloats(work.resolve("empty.bin"), emptyLabel.toFloatArray());
      String[] rows = PythonOracle.run(TORCH_FORMULAS, work.resolve("x.bin").toString(),
          work.resolve("sparse.bin").toString(), work.resolve("empty.bin").toString()).strip().split("\n");

      NDArray[] labels = {sparseLabel, emptyLabel};
      for (int row = 0; row < labels.length; row++) {
        String[] expected = rows[row].split(" ");
        int column = 0;
        for (Map.Entry<String, Loss> loss : losses.entrySet()) {
          float actual = loss.getValue().evaluate(new NDList(labels[row]), new NDList(logits)).getFloat();
          assertEquals(Double.parseDouble(expected[column++]), actual, 1e-5, loss.getKey() + ", label set " + row);
        }
      }
    }
  }

  @Test
  void invalidSettingsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new SoftDiceLoss(-1f));
    assertThrows(IllegalArgumentException.class, () -> new BceWithLogitsLoss(0f));
    assertThrows(IllegalArgumentException.class, () -> new TverskyLoss(0f, 0f, 1f, 1e-5f));
    assertThrows(IllegalArgumentException.class, () -> new DiceBceLoss(new SoftDiceLoss(), 0f, new BceWithLogitsLoss(), 0f));
  }
}

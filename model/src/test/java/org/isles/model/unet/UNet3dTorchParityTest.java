package org.isles.model.unet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.isles.model.OfflinePyTorch;
import org.isles.model.loss.DiceBceLoss;
import org.isles.testing.PythonOracle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DJL U-Net against the same network written with torch.nn modules (Conv3d, InstanceNorm3d,
 * ConvTranspose3d, MaxPool3d) in Debian's torch: same parameters, same input, compare logits and
 * Dice+BCE gradients.
 */
class UNet3dTorchParityTest {
  private static final int INPUT_CHANNELS = 2;
  private static final int BASE = 4;
  private static final int DEPTH = 3;
  private static final int BATCH = 2;
  private static final int SIZE = 24;

  @TempDir Path work;

  @Test
  void forwardAndGradientsMatchTorch() throws IOException {
    try (NDManager manager = OfflinePyTorch.newBaseManager()) {
      OfflinePyTorch.engine().setRandomSeed(7);
      UNet3d net = UNet3d.builder().setBaseChannels(BASE).optDepth(DEPTH).optInputChannels(INPUT_CHANNELS).build();
      Shape inputShape = net.inputShape(BATCH, new int[] {SIZE, SIZE, SIZE});
      net.initialize(manager, DataType.FLOAT32, inputShape);
      List<Parameter> parameters = new ArrayList<>();
      for (Pair<String, Parameter> named : net.getParameters()) {
        parameters.add(named.getValue());
      }
      perturbAffineAndBiases(parameters, manager);
      writeParameters(net, parameters);

      NDArray x = manager.randomNormal(inputShape);
      NDArray y = manager.randomUniform(0, 1, new Shape(BATCH, 1, SIZE, SIZE, SIZE)).lt(0.3).toType(DataType.FLOAT32, false);
      PythonOracle.writeFloats(work.resolve("x.bin"), x.toFloatArray());
      PythonOracle.writeFloats(work.resolve("y.bin"), y.toFloatArray());

      float[] logits;
      float loss;
      try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
        NDArray out = net.forward(new ParameterStore(manager, false), new NDList(x), true).singletonOrThrow();
        NDArray lossValue = new DiceBceLoss().evaluate(new NDList(y), new NDList(out));
        collector.backward(lossValue);
        logits = out.toFloatArray();
        loss = lossValue.getFloat();
      }

      PythonOracle.run(TorchUNetTwin.scriptWithMain(UNet3dTorchParityTest.class, "torch_unet_parity.py"), work.toString(), String.valueOf(INPUT_CHANNELS), String.valueOf(BASE),
          String.valueOf(DEPTH), String.valueOf(BATCH), String.valueOf(SIZE));

      float[] torchLogits = PythonOracle.readFloats(work.resolve("out.bin"));
      assertEquals(torchLogits.length, logits.length);
      for (int i = 0; i < logits.length; i++) {
        float tolerance = 1e-4f + 1e-4f * Math.abs(torchLogits[i]);
        assertEquals(torchLogits[i], logits[i], tolerance, "logit " + i);
      }
      assertEquals(PythonOracle.readFloats(work.resolve("loss.bin"))[0], loss, 1e-4f * Math.abs(loss));

      int firstConv = 0;
      int deepestConv = indexOf(net, "down" + DEPTH + "_01convs_02second_01conv_weight");
      int firstUp = indexOf(net, "up" + (DEPTH - 1) + "_01up_weight");
      for (int index : new int[] {firstConv, deepestConv, firstUp}) {
        float[] djlGradient = parameters.get(index).getArray().getGradient().toFloatArray();
        float[] torchGradient = PythonOracle.readFloats(work.resolve("g" + index + ".bin"));
        assertRelativelyClose(torchGradient, djlGradient, 1e-3, parameters.get(index).getName() + " #" + index);
      }
    }
  }

  /** Gamma 1, beta 0 and zero biases would hide a mis-mapped affine or bias; make them all distinct. */
  private static void perturbAffineAndBiases(List<Parameter> parameters, NDManager manager) {
    for (Parameter parameter : parameters) {
      Shape shape = parameter.getShape();
      switch (parameter.getType()) {
        case GAMMA -> parameter.getArray().set(manager.randomUniform(0.5f, 1.5f, shape).toFloatArray());
        case BETA, BIAS -> parameter.getArray().set(manager.randomNormal(0, 0.2f, shape, DataType.FLOAT32).toFloatArray());
        default -> { }
      }
    }
  }

  private void writeParameters(UNet3d net, List<Parameter> parameters) throws IOException {
    StringBuilder manifest = new StringBuilder();
    for (int i = 0; i < parameters.size(); i++) {
      Parameter parameter = parameters.get(i);
      manifest.append(i).append(' ').append(net.getParameters().get(i).getKey());
      for (long dim : parameter.getShape().getShape()) {
        manifest.append(' ').append(dim);
      }
      manifest.append('\n');
      PythonOracle.writeFloats(work.resolve("p" + i + ".bin"), parameter.getArray().toFloatArray());
    }
    Files.writeString(work.resolve("manifest.txt"), manifest);
  }

  /** DJL prefixes each path element with its position ("04down3_01convs_..."); match the rest. */
  private static int indexOf(UNet3d net, String pathSuffix) {
    List<String> keys = net.getParameters().keys();
    for (int i = 0; i < keys.size(); i++) {
      if (keys.get(i).endsWith(pathSuffix)) {
        return i;
      }
    }
    throw new AssertionError(pathSuffix + " not among " + keys);
  }

  private static void assertRelativelyClose(float[] expected, float[] actual, double relative, String what) {
    assertEquals(expected.length, actual.length, what);
    double scale = 0;
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      scale = Math.max(scale, Math.abs(expected[i]));
      worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
    }
    assertTrue(scale > 0, what + ": torch gradient is all zero");
    assertTrue(worst <= relative * scale, what + ": max gradient difference " + worst + " vs max magnitude " + scale);
  }
}

package org.isles.model.unet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.isles.model.OfflinePyTorch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A saved U-Net loads into a freshly built one of the same configuration and predicts the same. */
class UNet3dCheckpointTest {
  private static final int[] PATCH = {8, 8, 16};

  @TempDir Path directory;

  @Test
  void savedParametersReloadIntoAFreshNetwork() throws IOException, MalformedModelException, TranslateException {
    try (NDManager manager = OfflinePyTorch.newBaseManager();
        Model saved = OfflinePyTorch.newModel("unet");
        Model loaded = OfflinePyTorch.newModel("unet")) {
      UNet3d net = smallNet();
      Shape shape = net.inputShape(1, PATCH);
      net.initialize(saved.getNDManager(), DataType.FLOAT32, shape);
      saved.setBlock(net);
      saved.save(directory, "unet");

      loaded.setBlock(smallNet());
      loaded.load(directory, "unet");

      NDList input = new NDList(manager.randomNormal(shape));
      float[] expected = predict(saved, input);
      float[] actual = predict(loaded, input);
      try (Model other = freshlyInitialised(shape)) {
        assertFalse(Arrays.equals(expected, predict(other, input)), "weights must matter");
      }
      assertArrayEquals(expected, actual);
    }
  }

  private static UNet3d smallNet() {
    return UNet3d.builder().setBaseChannels(2).optDepth(2).build();
  }

  private static Model freshlyInitialised(Shape shape) {
    Model model = OfflinePyTorch.newModel("other");
    UNet3d net = smallNet();
    net.initialize(model.getNDManager(), DataType.FLOAT32, shape);
    model.setBlock(net);
    return model;
  }

  private static float[] predict(Model model, NDList input) throws TranslateException {
    try (Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator())) {
      return predictor.predict(input).singletonOrThrow().toFloatArray();
    }
  }
}

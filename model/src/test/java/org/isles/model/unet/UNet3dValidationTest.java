package org.isles.model.unet;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.isles.model.OfflinePyTorch;
import org.junit.jupiter.api.Test;

/** Settings and input shapes the U-Net cannot work with fail early with a clear message. */
class UNet3dValidationTest {
  @Test
  void builderRejectsMissingBaseAndInputsOfWrongSize() {
    assertThrows(IllegalArgumentException.class, () -> UNet3d.builder().build());
    assertThrows(IllegalArgumentException.class, () -> UNet3d.builder().setBaseChannels(8).optDepth(0).build());
    UNet3d net = UNet3d.builder().setBaseChannels(2).optDepth(2).build();
    try (NDManager manager = OfflinePyTorch.newBaseManager()) {
      IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
          () -> net.initialize(manager, DataType.FLOAT32, new Shape(1, 2, 8, 8, 10)));
      assertTrue(error.getMessage().contains("multiples of 4"), error.getMessage());
      assertThrows(IllegalArgumentException.class, () -> net.initialize(manager, DataType.FLOAT32, new Shape(1, 2, 4, 4, 4)));
    }
  }
}

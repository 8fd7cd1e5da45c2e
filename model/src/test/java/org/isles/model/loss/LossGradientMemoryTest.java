package org.isles.model.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.isles.model.OfflinePyTorch;
import org.isles.model.training.Autograd;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A loss's backward pass must not depend on Java memory freed after its forward pass. DJL turns a
 * Java number operand ({@code x.mul(2)}) into a tensor that borrows a Java buffer, and torch
 * keeps that tensor for the backward pass; when the buffer is collected in between (the patch
 * loader makes garbage all the time), backward read freed memory: wrong gradients, runs that
 * were not reproducible, non-finite gradients. Here the freed memory is reused and overwritten
 * before backward, and the gradient must equal the one computed without a collection.
 */
class LossGradientMemoryTest {
  private static final Shape SHAPE = new Shape(2, 1, 4, 5, 6);

  @ParameterizedTest
  @ValueSource(strings = {"dice+bce", "weighted tversky+bce", "focal tversky"})
  void backwardIsUnaffectedByCollectingJavaBuffersAfterForward(String name) {
    Loss loss = switch (name) {
      case "dice+bce" -> new DiceBceLoss();
      case "weighted tversky+bce" -> new DiceBceLoss(new TverskyLoss(), 0.5f, new BceWithLogitsLoss(2f), 2f);
      default -> new TverskyLoss(0.3f, 0.7f, 0.75f, 1e-5f);
    };
    float[] logits = new float[(int) SHAPE.size()];
    float[] labels = new float[logits.length];
    SplittableRandom random = new SplittableRandom(3);
    for (int n = 0; n < logits.length; n++) {
      logits[n] = (float) random.nextGaussian();
      labels[n] = random.nextDouble() < 0.3 ? 1f : 0f;
    }
    float[] undisturbed = gradient(loss, logits, labels, false);
    for (int round = 0; round < 3; round++) {
      assertArrayEquals(undisturbed, gradient(loss, logits, labels, true), name + ", round " + round);
    }
  }

  private static float[] gradient(Loss loss, float[] logits, float[] labels, boolean collectBeforeBackward) {
    try (NDManager manager = OfflinePyTorch.newBaseManager(); NDScope scope = new NDScope()) {
      NDArray x = manager.create(logits, SHAPE);
      x.setRequiresGradient(true);
      try (Autograd recording = Autograd.recording()) {
        NDArray value = evaluateInItsOwnScope(loss, manager.create(labels, SHAPE), x);
        if (collectBeforeBackward) {
          overwriteFreedMemory();
        }
        Autograd.backward(value);
      }
      return x.getGradient().toFloatArray();
    }
  }

  /** As in a training step: temporaries of the forward pass are closed as soon as it ends. */
  private static NDArray evaluateInItsOwnScope(Loss loss, NDArray labels, NDArray x) {
    try (NDScope forward = new NDScope()) {
      NDArray value = loss.evaluate(new NDList(labels), new NDList(x));
      NDScope.unregister(value);
      return value;
    }
  }

  private static void overwriteFreedMemory() {
    System.gc();
    List<ByteBuffer> sentinels = new ArrayList<>();
    for (int n = 0; n < 256; n++) {
      ByteBuffer buffer = ByteBuffer.allocateDirect(Float.BYTES).order(ByteOrder.nativeOrder());
      buffer.putFloat(0, 1e6f);
      sentinels.add(buffer);
    }
    sentinels.clear();
  }
}

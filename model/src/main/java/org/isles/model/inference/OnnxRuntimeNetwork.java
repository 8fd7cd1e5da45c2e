package org.isles.model.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * An ONNX model run by ONNX Runtime (CPU) over sliding-window batches. The session may be shared
 * by threads (ONNX Runtime's {@code run} is thread-safe); each batch crosses as a float buffer.
 */
public final class OnnxRuntimeNetwork implements SlidingWindowInference.ClosableWindowNetwork {
  private final Path file;
  private final OrtSession session;
  private final String inputName;

  private OnnxRuntimeNetwork(Path file, OrtSession session) throws OrtException {
    this.file = file;
    this.session = session;
    if (session.getInputNames().size() != 1 || session.getOutputNames().isEmpty()) {
      session.close();
      throw new IllegalArgumentException("ONNX model " + file + " must take one input, it takes " + session.getInputNames());
    }
    this.inputName = session.getInputNames().iterator().next();
  }

  /** Loads {@code file}; {@code threads} intra-op threads (0: ONNX Runtime's default). */
  public static OnnxRuntimeNetwork load(Path file, int threads) {
    try {
      OrtSession.SessionOptions options = new OrtSession.SessionOptions();
      if (threads > 0) {
        options.setIntraOpNumThreads(threads);
      }
      return new OnnxRuntimeNetwork(file, OrtEnvironment.getEnvironment().createSession(file.toString(), options));
    } catch (OrtException | RuntimeException e) {
      throw new IllegalArgumentException("cannot load ONNX model " + file + ": " + firstLine(e.getMessage()), e);
    }
  }

  @Override
  public NDArray forward(NDArray batch) {
    long[] shape = batch.getShape().getShape();
    try (OnnxTensor input = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer.wrap(batch.toFloatArray()), shape);
        OrtSession.Result result = session.run(Map.of(inputName, input))) {
      OnnxTensor output = (OnnxTensor) result.get(0);
      FloatBuffer values = output.getFloatBuffer();
      float[] copy = new float[values.remaining()];
      values.get(copy);
      return batch.getManager().create(copy, new Shape(output.getInfo().getShape()));
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX model " + file + " failed on a batch of shape " + batch.getShape() + ": "
          + firstLine(e.getMessage()), e);
    }
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("cannot close ONNX session of " + file, e);
    }
  }

  static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }
}

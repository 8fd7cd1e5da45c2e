package org.isles.model.inference;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.isles.model.OfflinePyTorch;
import org.isles.model.unet.UNet3d;

/**
 * A {@link UNet3d} built here, run with its convolutions in bfloat16: the window batch is cast to
 * bf16, every convolution (weights and biases: bf16 copies of the float32 parameters, made once)
 * runs on bf16 tensors, and the logits are cast back to float32. Instance norm gets bf16 features
 * and keeps its scale, shift and statistics in float32 (torch's mixed-type batch-norm kernel), so
 * DJL never has to create a bf16 value itself. Sigmoid, mirroring, the sliding-window accumulation
 * and the ensemble mean stay float32 ({@link SlidingWindowInference} sees float32 logits).
 *
 * <p>Why the cast is a TorchScript module: DJL 0.36's PyTorch JNI has no bfloat16 case
 * ({@code NDArray.toType(BFLOAT16)} kills the JVM: {@code GetScalarTypeFromDType} ends in a bare
 * {@code throw;}), but a tensor a TorchScript module returns may be bf16 (DJL shows its dtype as
 * UNKNOWN) and DJL's operators run on it; {@code toType(FLOAT32)} brings it back. The module
 * ({@value #CAST}, {@code x.to(torch.bfloat16)}) ships as a resource, written by
 * {@code scripts/make-bfloat16-casts.py}. Anything DJL would make in bf16 itself (a scalar, zeros,
 * ones) would still kill the JVM, which is why instance norm's throw-away running statistics and
 * its affine parameters are float32 here.
 *
 * <p>Thread-safe for inference: the parameters are read-only and the cast module is warmed up once
 * on load (DJL's first forward of a TorchScript block records its input description).
 */
public final class Bfloat16Network implements SlidingWindowInference.ClosableWindowNetwork {
  /** The cast module, a resource beside this class. */
  static final String CAST = "to_bfloat16.pt";

  private final Model network;
  private final Model cast;
  private final ParameterStore parameters;

  private Bfloat16Network(Model network, Model cast) {
    this.network = network;
    this.cast = cast;
    this.parameters = new Bfloat16Parameters(bfloat16Copies(network.getBlock()));
  }

  /**
   * {@code network} (a float32 {@link UNet3d} with loaded parameters, e.g. from
   * {@link ModelEnsemble#loadTrained}) in bf16; closing the result closes {@code network}.
   */
  public static Bfloat16Network of(Model network) {
    if (!(network.getBlock() instanceof UNet3d)) {
      throw new IllegalArgumentException("bf16 needs a U-Net built here, " + network.getName() + " is a "
          + network.getBlock().getClass().getSimpleName());
    }
    Model cast = loadCast();
    try {
      return new Bfloat16Network(network, cast);
    } catch (RuntimeException e) {
      cast.close();
      throw e;
    }
  }

  /** The cast module from this class's resources (no file, no python at run time). */
  static Model loadCast() {
    Model cast = OfflinePyTorch.newModel("to_bfloat16");
    try (InputStream in = Bfloat16Network.class.getResourceAsStream(CAST)) {
      if (in == null) {
        throw new IllegalStateException("resource " + CAST + " is missing from the class path");
      }
      cast.load(in);
      return cast;
    } catch (IOException e) {
      cast.close();
      throw new UncheckedIOException("cannot read resource " + CAST, e);
    } catch (MalformedModelException | RuntimeException e) {
      cast.close();
      throw new IllegalStateException("cannot load the bf16 cast module " + CAST + ": " + e.getMessage(), e);
    }
  }

  /** (N, C, D, H, W) float32 windows in, (N, 1, D, H, W) float32 logits out; computed in bf16. */
  @Override
  public NDArray forward(NDArray batch) {
    NDArray logits = network.getBlock().forward(parameters, new NDList(toBfloat16(batch)), false).singletonOrThrow();
    return logits.toType(DataType.FLOAT32, false);
  }

  /** {@code values} (any float dtype) as a bf16 tensor, in the manager of {@code values}. */
  NDArray toBfloat16(NDArray values) {
    return cast.getBlock().forward(parameters, new NDList(values), false).singletonOrThrow();
  }

  @Override
  public void close() {
    cast.close();
    network.close();
  }

  /** bf16 copies of the convolutions' weights and biases, by parameter id, in the network's manager. */
  private Map<String, NDArray> bfloat16Copies(Block block) {
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      Map<String, NDArray> copies = new HashMap<>();
      for (Pair<String, Parameter> entry : block.getParameters()) {
        Parameter parameter = entry.getValue();
        if (parameter.getType() == Parameter.Type.WEIGHT || parameter.getType() == Parameter.Type.BIAS) {
          NDArray copy = cast.getBlock().forward(new ParameterStore(), new NDList(parameter.getArray()), false)
              .singletonOrThrow();
          copies.put(parameter.getId(), copy);
        }
      }
      return copies;
    } finally {
      JniUtils.setGradMode(gradMode);
    }
  }

  /** The bf16 copies where there are some, the float32 parameters (instance norm's) elsewhere. */
  private static final class Bfloat16Parameters extends ParameterStore {
    private final Map<String, NDArray> copies;

    Bfloat16Parameters(Map<String, NDArray> copies) {
      this.copies = Map.copyOf(copies);
    }

    @Override
    public NDArray getValue(Parameter parameter, Device device, boolean training) {
      if (parameter == null) {
        return null; // as the base store: a convolution without bias asks for none
      }
      NDArray copy = copies.get(parameter.getId());
      return copy != null ? copy : parameter.getArray();
    }
  }
}

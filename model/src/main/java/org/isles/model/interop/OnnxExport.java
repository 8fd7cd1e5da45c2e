package org.isles.model.interop;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv3d;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.isles.model.interop.onnx.OnnxSubset.AttributeProto;
import org.isles.model.interop.onnx.OnnxSubset.GraphProto;
import org.isles.model.interop.onnx.OnnxSubset.ModelProto;
import org.isles.model.interop.onnx.OnnxSubset.NodeProto;
import org.isles.model.interop.onnx.OnnxSubset.OperatorSetIdProto;
import org.isles.model.interop.onnx.OnnxSubset.StringStringEntryProto;
import org.isles.model.interop.onnx.OnnxSubset.TensorProto;
import org.isles.model.interop.onnx.OnnxSubset.TensorShapeProto;
import org.isles.model.interop.onnx.OnnxSubset.TypeProto;
import org.isles.model.interop.onnx.OnnxSubset.ValueInfoProto;
import org.isles.model.unet.ConvNormAct;
import org.isles.model.unet.Down;
import org.isles.model.unet.InstanceNorm3d;
import org.isles.model.unet.PixelShuffleUp3d;
import org.isles.model.unet.TwoConv;
import org.isles.model.unet.UNet3d;
import org.isles.model.unet.UpCat;

/**
 * A {@link UNet3d} as an ONNX model (IR version {@value #IR_VERSION}, default-domain opset
 * {@value #OPSET}) with standard operators only: Conv (3x3x3, padding 1), InstanceNormalization,
 * LeakyRelu, MaxPool (2x2x2, stride 2), ConvTranspose (2x2x2, stride 2) for the up-sampling that
 * DJL computes as a 1x1x1 convolution and a pixel shuffle, Concat (skip first) and the 1x1x1 head.
 * Input {@value #INPUT} (N, C, D, H, W), output {@value #OUTPUT} (N, 1, D, H, W), one logit per voxel;
 * batch and spatial sizes are symbolic. The model card rides along as metadata {@value #CARD_KEY}.
 */
public final class OnnxExport {
  public static final long IR_VERSION = 8;
  public static final long OPSET = 17;
  public static final String INPUT = "image";
  public static final String OUTPUT = "logits";
  public static final String CARD_KEY = "isles_model_card";
  private static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;

  private final GraphProto.Builder graph = GraphProto.newBuilder();

  private OnnxExport() {}

  /** The ONNX model of {@code network} (initialised, with its parameters) as bytes. */
  public static byte[] export(UNet3d network, String name, String cardYaml) {
    OnnxExport export = new OnnxExport();
    export.graph.setName(name);
    export.graph.addInput(export.valueInfo(INPUT, network.inputChannels()));
    export.graph.addOutput(export.valueInfo(OUTPUT, 1));
    export.unet(network);
    return ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .setProducerName("isles-beam")
        .setProducerVersion("0.1.0")
        .setDocString("3D U-Net for stroke-lesion segmentation: sigmoid of " + OUTPUT + " is the lesion probability")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .addMetadataProps(StringStringEntryProto.newBuilder().setKey(CARD_KEY).setValue(cardYaml))
        .setGraph(export.graph)
        .build()
        .toByteArray();
  }

  private void unet(UNet3d network) {
    List<Block> parts = network.getChildren().values();
    int depth = network.depth();
    String x = twoConv((TwoConv) parts.get(0), INPUT, "stem");
    List<String> skips = new ArrayList<>();
    for (int level = 1; level <= depth; level++) {
      skips.add(x);
      String pooled = node("MaxPool", "down" + level + ".pool", List.of(x),
          ints("kernel_shape", 2, 2, 2), ints("strides", 2, 2, 2));
      Down down = (Down) parts.get(level);
      x = twoConv((TwoConv) down.getChildren().values().get(0), pooled, "down" + level);
    }
    for (int i = 0; i < depth; i++) {
      UpCat up = (UpCat) parts.get(depth + 1 + i);
      String prefix = "up" + (depth - 1 - i);
      String upsampled = convTranspose((PixelShuffleUp3d) up.getChildren().values().get(0), x, prefix + ".up");
      String joined = node("Concat", prefix + ".concat", List.of(skips.get(depth - 1 - i), upsampled), integer("axis", 1));
      x = twoConv((TwoConv) up.getChildren().values().get(1), joined, prefix);
    }
    Conv3d head = (Conv3d) parts.get(2 * depth + 1);
    String weight = initializer("head.weight", parameter(head, "weight"));
    String bias = initializer("head.bias", parameter(head, "bias"));
    graph.addNode(NodeProto.newBuilder().setOpType("Conv").setName("head").addInput(x).addInput(weight).addInput(bias)
        .addOutput(OUTPUT).addAttribute(ints("kernel_shape", 1, 1, 1)));
  }

  private String twoConv(TwoConv stage, String input, String prefix) {
    List<Block> convs = stage.getChildren().values();
    String first = convNormAct((ConvNormAct) convs.get(0), input, prefix + ".first");
    return convNormAct((ConvNormAct) convs.get(1), first, prefix + ".second");
  }

  private String convNormAct(ConvNormAct block, String input, String prefix) {
    List<Block> parts = block.getChildren().values();
    Conv3d conv = (Conv3d) parts.get(0);
    InstanceNorm3d norm = (InstanceNorm3d) parts.get(1);
    String weight = initializer(prefix + ".conv.weight", parameter(conv, "weight"));
    String convolved = node("Conv", prefix + ".conv", List.of(input, weight),
        ints("kernel_shape", 3, 3, 3), ints("pads", 1, 1, 1, 1, 1, 1));
    String scale = initializer(prefix + ".norm.scale", parameter(norm, "gamma"));
    String shift = initializer(prefix + ".norm.bias", parameter(norm, "beta"));
    String normalised = node("InstanceNormalization", prefix + ".norm", List.of(convolved, scale, shift),
        real("epsilon", norm.epsilon()));
    return node("LeakyRelu", prefix + ".act", List.of(normalised), real("alpha", ConvNormAct.LEAKY_SLOPE));
  }

  private String convTranspose(PixelShuffleUp3d block, String input, String prefix) {
    NDArray weight = parameter(block, "weight");
    int in = (int) weight.getShape().get(1);
    int out = (int) weight.getShape().get(0) / 8;
    String w = initializer(prefix + ".weight", asConvTranspose(weight), in, out, 2, 2, 2);
    String b = initializer(prefix + ".bias", parameter(block, "bias"));
    return node("ConvTranspose", prefix, List.of(input, w, b), ints("kernel_shape", 2, 2, 2), ints("strides", 2, 2, 2));
  }

  private String node(String op, String name, List<String> inputs, AttributeProto... attributes) {
    NodeProto.Builder node = NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addOutput(name);
    for (AttributeProto attribute : attributes) {
      node.addAttribute(attribute);
    }
    graph.addNode(node);
    return name;
  }

  /**
   * DJL's up-sampling weight {@code [o*8 + a*4 + b*2 + c, i, 0, 0, 0]} (see {@link PixelShuffleUp3d})
   * laid out as ConvTranspose's {@code [i, o, a, b, c]}, row-major.
   */
  static float[] asConvTranspose(NDArray weight) {
    int in = (int) weight.getShape().get(1);
    int out = (int) weight.getShape().get(0) / 8;
    float[] shuffled = weight.toFloatArray();
    float[] transposed = new float[shuffled.length];
    for (int o = 0; o < out; o++) {
      for (int k = 0; k < 8; k++) {
        for (int i = 0; i < in; i++) {
          transposed[(i * out + o) * 8 + k] = shuffled[(o * 8 + k) * in + i];
        }
      }
    }
    return transposed;
  }

  static NDArray parameter(Block block, String name) {
    Parameter parameter = block.getDirectParameters().get(name);
    if (parameter != null) {
      return parameter.getArray();
    }
    throw new IllegalStateException(block.getClass().getSimpleName() + " has no parameter '" + name + "'");
  }

  private String initializer(String name, NDArray value) {
    return initializer(name, value.toFloatArray(), value.getShape().getShape());
  }

  private String initializer(String name, float[] values, long... dims) {
    ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    TensorProto.Builder tensor = TensorProto.newBuilder().setName(name).setDataType(FLOAT)
        .setRawData(com.google.protobuf.ByteString.copyFrom(bytes.array()));
    for (long d : dims) {
      tensor.addDims(d);
    }
    graph.addInitializer(tensor);
    return name;
  }

  private String initializer(String name, float[] values, int... dims) {
    long[] longs = new long[dims.length];
    for (int i = 0; i < dims.length; i++) {
      longs[i] = dims[i];
    }
    return initializer(name, values, longs);
  }

  private ValueInfoProto valueInfo(String name, int channels) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
        .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(channels))
        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("D"))
        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("H"))
        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("W"));
    return ValueInfoProto.newBuilder().setName(name)
        .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(FLOAT).setShape(shape)))
        .build();
  }

  private static AttributeProto ints(String name, long... values) {
    AttributeProto.Builder attribute = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long v : values) {
      attribute.addInts(v);
    }
    return attribute.build();
  }

  private static AttributeProto integer(String name, long value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
  }

  private static AttributeProto real(String name, float value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
  }
}

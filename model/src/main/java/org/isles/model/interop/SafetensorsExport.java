package org.isles.model.interop;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv3d;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.isles.model.unet.Down;
import org.isles.model.unet.InstanceNorm3d;
import org.isles.model.unet.PixelShuffleUp3d;
import org.isles.model.unet.TwoConv;
import org.isles.model.unet.UNet3d;
import org.isles.model.unet.UpCat;

/**
 * A {@link UNet3d}'s parameters as a safetensors file: an 8-byte little-endian header length, the
 * JSON header (padded with spaces to a multiple of 8) and the F32 little-endian tensors back to back.
 * Tensor names and layouts are the {@code state_dict} of the torch.nn twin (Conv3d without bias,
 * InstanceNorm3d(affine=True), ConvTranspose3d, head Conv3d): {@code stem.J.0.weight} (conv),
 * {@code stem.J.1.weight} / {@code .bias} (norm scale / shift), {@code downs.L.1.J.*} for down level
 * L+1, {@code ups.I.up.weight} / {@code .bias} (the pixel-shuffle up-sampling as a ConvTranspose3d
 * weight (in, out, 2, 2, 2)) and {@code ups.I.convs.J.*} (coarsest first), {@code head.weight} /
 * {@code .bias}. The card rides along in {@code __metadata__} as {@value OnnxExport#CARD_KEY}.
 */
public final class SafetensorsExport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Object> header = new LinkedHashMap<>();
  private final ByteArrayOutputStream data = new ByteArrayOutputStream();

  private SafetensorsExport() {}

  /** The safetensors bytes of {@code network} (initialised, with its parameters). */
  public static byte[] export(UNet3d network, String cardYaml) {
    SafetensorsExport export = new SafetensorsExport();
    export.unet(network);
    export.header.put("__metadata__", Map.of(OnnxExport.CARD_KEY, cardYaml, "format", "pt"));
    byte[] json;
    try {
      json = JSON.writeValueAsString(export.header).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the safetensors header: " + e.getMessage(), e);
    }
    int padded = (json.length + 7) / 8 * 8;
    ByteBuffer file = ByteBuffer.allocate(8 + padded + export.data.size()).order(ByteOrder.LITTLE_ENDIAN);
    file.putLong(padded).put(json);
    for (int i = json.length; i < padded; i++) {
      file.put((byte) ' ');
    }
    file.put(export.data.toByteArray());
    return file.array();
  }

  private void unet(UNet3d network) {
    List<Block> parts = network.getChildren().values();
    int depth = network.depth();
    twoConv((TwoConv) parts.get(0), "stem");
    for (int level = 1; level <= depth; level++) {
      twoConv((TwoConv) ((Down) parts.get(level)).getChildren().values().get(0), "downs." + (level - 1) + ".1");
    }
    for (int i = 0; i < depth; i++) {
      List<Block> up = ((UpCat) parts.get(depth + 1 + i)).getChildren().values();
      PixelShuffleUp3d shuffle = (PixelShuffleUp3d) up.get(0);
      NDArray weight = OnnxExport.parameter(shuffle, "weight");
      int in = (int) weight.getShape().get(1);
      int out = (int) weight.getShape().get(0) / 8;
      tensor("ups." + i + ".up.weight", OnnxExport.asConvTranspose(weight), in, out, 2, 2, 2);
      tensor("ups." + i + ".up.bias", OnnxExport.parameter(shuffle, "bias"));
      twoConv((TwoConv) up.get(1), "ups." + i + ".convs");
    }
    Conv3d head = (Conv3d) parts.get(2 * depth + 1);
    tensor("head.weight", OnnxExport.parameter(head, "weight"));
    tensor("head.bias", OnnxExport.parameter(head, "bias"));
  }

  private void twoConv(TwoConv stage, String prefix) {
    List<Block> convs = stage.getChildren().values();
    for (int j = 0; j < 2; j++) {
      List<Block> parts = convs.get(j).getChildren().values();
      String name = prefix + "." + j;
      tensor(name + ".0.weight", OnnxExport.parameter((Conv3d) parts.get(0), "weight"));
      InstanceNorm3d norm = (InstanceNorm3d) parts.get(1);
      tensor(name + ".1.weight", OnnxExport.parameter(norm, "gamma"));
      tensor(name + ".1.bias", OnnxExport.parameter(norm, "beta"));
    }
  }

  private void tensor(String name, NDArray value) {
    long[] dims = value.getShape().getShape();
    int[] shape = new int[dims.length];
    for (int i = 0; i < dims.length; i++) {
      shape[i] = Math.toIntExact(dims[i]);
    }
    tensor(name, value.toFloatArray(), shape);
  }

  private void tensor(String name, float[] values, int... shape) {
    ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    long begin = data.size();
    data.writeBytes(bytes.array());
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("dtype", "F32");
    entry.put("shape", shape);
    entry.put("data_offsets", new long[] {begin, data.size()});
    header.put(name, entry);
  }
}

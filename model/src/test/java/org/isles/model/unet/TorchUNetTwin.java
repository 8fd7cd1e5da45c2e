package org.isles.model.unet;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The torch.nn definition of {@link UNet3d} (torch_unet_model.py), for scripts run by PythonOracle. */
public final class TorchUNetTwin {
  private TorchUNetTwin() {}

  /** The model definition followed by {@code mainResource} (a script next to {@code anchor}). */
  public static String scriptWithMain(Class<?> anchor, String mainResource) {
    return resource(TorchUNetTwin.class, "torch_unet_model.py") + "\n\n" + resource(anchor, mainResource);
  }

  private static String resource(Class<?> anchor, String name) {
    try (InputStream in = anchor.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name + " next to " + anchor.getName());
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read test resource " + name, e);
    }
  }
}

package org.isles.model;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

/**
 * Entry point to DJL's PyTorch engine that never touches the network: the native library comes
 * from the {@code pytorch-native-cpu} jar on the class path, and DJL's offline mode stops both the
 * library download fallback and its EC2 metadata / telemetry call.
 *
 * <p>The settings only work if they are in place before DJL's {@link Engine} class initialises,
 * so a process must reach DJL through this class first (an engine, a manager or a model from here).
 */
public final class OfflinePyTorch {
  private static final String ENGINE_NAME = "PyTorch";

  static {
    // Must be set before DJL's Engine class initialises; explicit user settings win.
    setIfAbsent("ai.djl.offline", "true");
    setIfAbsent("OPT_OUT_TRACKING", "true");
  }

  private OfflinePyTorch() {}

  /** The PyTorch engine, loaded from the class path only. */
  public static Engine engine() {
    return Engine.getEngine(ENGINE_NAME);
  }

  /** A new root manager of the PyTorch engine on the CPU; close it when done. */
  public static NDManager newBaseManager() {
    return engine().newBaseManager();
  }

  /** A new, empty model on the PyTorch engine; close it when done. */
  public static Model newModel(String name) {
    return Model.newInstance(name, engine().getEngineName());
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}

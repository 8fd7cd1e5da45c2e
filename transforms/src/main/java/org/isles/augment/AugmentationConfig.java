package org.isles.augment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Probabilities and ranges of the on-the-fly augmentations (SPEC section 4). Each augmentation is
 * applied to a sample independently with its own probability; flips are decided per axis, the
 * intensity augmentations per channel. All are mild on purpose: nothing may create lesion-like
 * structures. Intensities are the preprocessed z-scores.
 *
 * <p>In a training config the key {@code augmentation} takes {@code true} ({@link #defaults()}),
 * {@code false} ({@link #none()}) or a mapping of the snake_case names below, e.g. {@code
 * max_noise_sigma: 0.3}; keys left out keep their {@link #defaults()} value.
 *
 * @param flipProbability chance of mirroring each spatial axis (default 0.5)
 * @param rotationProbability chance of rotating about the patch centre (0.2)
 * @param maxRotationDegrees each of the three rotation angles is uniform in +-this (15)
 * @param scaleProbability chance of zooming about the patch centre (0.2)
 * @param minScale smallest zoom factor, &lt; 1 shows more context (0.9)
 * @param maxScale largest zoom factor, &gt; 1 magnifies (1.1)
 * @param multiplyProbability chance of multiplying intensities (0.3)
 * @param minMultiplier smallest intensity factor (0.9)
 * @param maxMultiplier largest intensity factor (1.1)
 * @param shiftProbability chance of adding a constant (0.3)
 * @param maxShift the constant is uniform in +-this, z-score units (0.1)
 * @param gammaProbability chance of a gamma change on min-max rescaled intensities; keeps the
 *     channel's range (0.3)
 * @param minGamma smallest gamma; gamma is log-uniform between the bounds (0.8)
 * @param maxGamma largest gamma (1.25)
 * @param noiseProbability chance of adding Gaussian noise (0.2)
 * @param maxNoiseSigma the noise's standard deviation is uniform in [0, this], z-score units (0.1)
 * @param blurProbability chance of a Gaussian blur (0.2)
 * @param minBlurSigma smallest blur sigma in voxels (0.5)
 * @param maxBlurSigma largest blur sigma in voxels (1.0)
 * @param contrastProbability chance of scaling the deviations from the channel's mean, clipped to
 *     the channel's range, as nnU-Net's contrast augmentation (0.2)
 * @param minContrast smallest contrast factor (0.75)
 * @param maxContrast largest contrast factor (1.25)
 * @param biasFieldProbability chance of a smooth multiplicative field, as coil shading (0.2)
 * @param maxBiasAmplitude the field is {@code 1 + a s}, {@code s} a random cubic polynomial over
 *     the patch scaled to max |s| = 1 and {@code a} uniform in [0, this] (0.2)
 * @param lowResolutionProbability chance of simulating thick slices along one random axis (0.2)
 * @param maxLowResolutionFactor the axis is averaged over blocks of up to this many voxels and
 *     linearly interpolated back; the factor is uniform in [1, this] (2)
 */
public record AugmentationConfig(
    double flipProbability,
    double rotationProbability,
    double maxRotationDegrees,
    double scaleProbability,
    double minScale,
    double maxScale,
    double multiplyProbability,
    double minMultiplier,
    double maxMultiplier,
    double shiftProbability,
    double maxShift,
    double gammaProbability,
    double minGamma,
    double maxGamma,
    double noiseProbability,
    double maxNoiseSigma,
    double blurProbability,
    double minBlurSigma,
    double maxBlurSigma,
    double contrastProbability,
    double minContrast,
    double maxContrast,
    double biasFieldProbability,
    double maxBiasAmplitude,
    double lowResolutionProbability,
    double maxLowResolutionFactor) implements Serializable {

  public AugmentationConfig {
    requireProbability("flip", flipProbability);
    requireProbability("rotation", rotationProbability);
    requireProbability("scale", scaleProbability);
    requireProbability("multiply", multiplyProbability);
    requireProbability("shift", shiftProbability);
    requireProbability("gamma", gammaProbability);
    requireProbability("noise", noiseProbability);
    requireProbability("blur", blurProbability);
    requireProbability("contrast", contrastProbability);
    requireProbability("bias field", biasFieldProbability);
    requireProbability("low resolution", lowResolutionProbability);
    requireRange("rotation degrees", 0, maxRotationDegrees);
    requireRange("scale", minScale, maxScale);
    requireRange("multiplier", minMultiplier, maxMultiplier);
    requireRange("shift", 0, maxShift);
    requireRange("gamma", minGamma, maxGamma);
    requireRange("noise sigma", 0, maxNoiseSigma);
    requireRange("blur sigma", minBlurSigma, maxBlurSigma);
    requireRange("contrast", minContrast, maxContrast);
    requireRange("low resolution factor", 1, maxLowResolutionFactor);
    if (minScale <= 0 || minGamma <= 0 || minBlurSigma <= 0 || minContrast <= 0) {
      throw new IllegalArgumentException("scale, gamma, blur sigma and contrast must be positive");
    }
    if (!(maxBiasAmplitude >= 0 && maxBiasAmplitude < 1)) {
      throw new IllegalArgumentException("bias amplitude must be in [0, 1), got " + maxBiasAmplitude);
    }
  }

  /** The recipe's mild augmentation, with the defaults stated on each component. */
  public static AugmentationConfig defaults() {
    return new AugmentationConfig(
        0.5,
        0.2, 15,
        0.2, 0.9, 1.1,
        0.3, 0.9, 1.1,
        0.3, 0.1,
        0.3, 0.8, 1.25,
        0.2, 0.1,
        0.2, 0.5, 1.0,
        0.2, 0.75, 1.25,
        0.2, 0.2,
        0.2, 2);
  }

  /** The default ranges with every probability 0: patches pass through unchanged. */
  public static AugmentationConfig none() {
    return overriding(defaults(), Arrays.stream(COMPONENTS)
        .filter(c -> c.getName().endsWith("Probability"))
        .collect(Collectors.toMap(c -> c.getName(), c -> 0.0)));
  }

  /**
   * The config file's {@code augmentation} value: {@code true}, {@code false}, or a mapping of
   * snake_case component names to numbers over {@link #defaults()}.
   */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static AugmentationConfig fromConfig(JsonNode node) {
    if (node.isBoolean()) {
      return node.booleanValue() ? defaults() : none();
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException("augmentation must be true, false or a mapping of settings, got " + node);
    }
    Set<String> known = Arrays.stream(COMPONENTS).map(c -> snakeCase(c.getName())).collect(Collectors.toSet());
    Map<String, Double> values = new HashMap<>();
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String key = names.next();
      JsonNode value = node.get(key);
      if (!known.contains(key)) {
        throw new IllegalArgumentException("augmentation: unknown key '" + key + "' (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
      }
      if (!value.isNumber()) {
        throw new IllegalArgumentException("augmentation: " + key + " must be a number, got " + value);
      }
      values.put(camelCase(key), value.doubleValue());
    }
    return overriding(defaults(), values);
  }

  private static final RecordComponent[] COMPONENTS = AugmentationConfig.class.getRecordComponents();

  /** {@code base} with the named components replaced. */
  private static AugmentationConfig overriding(AugmentationConfig base, Map<String, Double> values) {
    try {
      Object[] arguments = new Object[COMPONENTS.length];
      Class<?>[] types = new Class<?>[COMPONENTS.length];
      for (int n = 0; n < COMPONENTS.length; n++) {
        String name = COMPONENTS[n].getName();
        arguments[n] = values.containsKey(name) ? values.get(name) : COMPONENTS[n].getAccessor().invoke(base);
        types[n] = double.class;
      }
      return AugmentationConfig.class.getDeclaredConstructor(types).newInstance(arguments);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build an augmentation config: " + e, e);
    }
  }

  private static String snakeCase(String camel) {
    return camel.replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT);
  }

  private static String camelCase(String snake) {
    StringBuilder out = new StringBuilder();
    boolean upper = false;
    for (char ch : snake.toCharArray()) {
      if (ch == '_') {
        upper = true;
      } else {
        out.append(upper ? Character.toUpperCase(ch) : ch);
        upper = false;
      }
    }
    return out.toString();
  }

  private static void requireProbability(String name, double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException(name + " probability must be in [0, 1], got " + p);
    }
  }

  private static void requireRange(String name, double low, double high) {
    if (!(low >= 0 && low <= high) || Double.isInfinite(high)) {
      throw new IllegalArgumentException(name + " range must satisfy 0 <= low <= high, got [" + low + ", " + high + "]");
    }
  }
}

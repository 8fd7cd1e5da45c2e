package org.isles.nifti;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code isles nifti info} prints, in this order: {@code dims}, {@code datatype},
 * {@code pixdim}, {@code affine} (4 rows), {@code scl_slope}, {@code scl_inter} as stored, and
 * {@code min}, {@code max}, {@code mean} of the scaled data with NaN ignored. JSON has no NaN or
 * infinity, so non-finite numbers (an unset slope, an all-NaN image) appear as null.
 */
public final class NiftiSummary {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Map<String, Object> values;

  private NiftiSummary(Map<String, Object> values) {
    this.values = Collections.unmodifiableMap(values);
  }

  public static NiftiSummary of(NiftiImage image) {
    NiftiHeader header = image.header();
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double sum = 0;
    long count = 0;
    for (double value : image.data()) {
      if (!Double.isNaN(value)) {
        min = Math.min(min, value);
        max = Math.max(max, value);
        sum += value;
        count++;
      }
    }
    double[] affine = header.affine();
    double[][] rows = new double[4][4];
    for (int n = 0; n < 16; n++) {
      rows[n / 4][n % 4] = affine[n];
    }
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("dims", header.dims());
    values.put("datatype", header.datatype().displayName());
    values.put("pixdim", header.pixdim());
    values.put("affine", rows);
    values.put("scl_slope", finiteOrNull(header.sclSlope()));
    values.put("scl_inter", finiteOrNull(header.sclInter()));
    values.put("min", count == 0 ? null : finiteOrNull(min));
    values.put("max", count == 0 ? null : finiteOrNull(max));
    values.put("mean", count == 0 ? null : finiteOrNull(sum / count));
    return new NiftiSummary(values);
  }

  /** The keys above in order; arrays are {@code long[]}, {@code double[]} and {@code double[][]}. */
  public Map<String, Object> values() {
    return values;
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(values);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render numbers and strings as JSON", e);
    }
  }

  private static Double finiteOrNull(double value) {
    return Double.isFinite(value) ? value : null;
  }
}

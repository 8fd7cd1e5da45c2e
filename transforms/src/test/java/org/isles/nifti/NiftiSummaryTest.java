package org.isles.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.isles.testing.PythonOracle;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The info summary against nibabel's header and numpy's nan-aware statistics. */
class NiftiSummaryTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Writes argv[1] (float32 with NaNs, or int16 scaled by 0.5 and offset 10) and prints what the
   * summary should say, with None for NaN; scl fields as the file stores them.
   */
  private static final String NIBABEL_SUMMARY = String.join("\n",
      "import sys, gzip, json, math, numpy as np, nibabel as nib",
      "out, kind = sys.argv[1:3]",
      "rng = np.random.default_rng(5)",
      "aff = np.array([[0, -1.2, 0, 30], [0.9, 0, 0, -20], [0, 0, 3, 7], [0, 0, 0, 1]])",
      "if kind == 'float32':",
      "    data = rng.normal(50, 20, (6, 5, 4)).astype('f4'); data[1, 2, 3] = np.nan; data[0, 0, 0] = np.nan",
      "    img = nib.Nifti1Image(data, aff)",
      "else:",
      "    img = nib.Nifti1Image(rng.integers(-500, 500, (6, 5, 4, 2)).astype('i2'), aff)",
      "    img.header.set_slope_inter(0.5, 10)",
      "img.to_filename(out)",
      "raw = nib.load(out)",
      "f = raw.get_fdata()",
      "stored = nib.Nifti1Header.from_fileobj(gzip.open(out))",
      "nan = lambda v: None if math.isnan(v) else v",
      "print(json.dumps({'dims': list(raw.shape), 'datatype': str(raw.get_data_dtype()),",
      "  'pixdim': raw.header['pixdim'].tolist(), 'affine': raw.affine.tolist(),",
      "  'scl_slope': nan(float(stored['scl_slope'])), 'scl_inter': nan(float(stored['scl_inter'])),",
      "  'min': float(np.nanmin(f)), 'max': float(np.nanmax(f)), 'mean': float(np.nanmean(f))}))");

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"float32", "int16"})
  void summaryMatchesNibabel(String kind) throws IOException {
    Path file = dir.resolve(kind + ".nii.gz");
    JsonNode expected = JSON.readTree(PythonOracle.run(NIBABEL_SUMMARY, file.toString(), kind));

    JsonNode actual = JSON.readTree(NiftiSummary.of(Nifti.read(file)).toJson());

    assertEquals(List.of("dims", "datatype", "pixdim", "affine", "scl_slope", "scl_inter", "min", "max", "mean"),
        fieldNames(actual));
    assertEquals(expected.get("dims"), actual.get("dims"));
    assertEquals(expected.get("datatype").asText(), actual.get("datatype").asText());
    assertArrayEquals(numbers(expected.get("pixdim")), numbers(actual.get("pixdim")), 1e-6);
    for (int row = 0; row < 4; row++) {
      assertArrayEquals(numbers(expected.get("affine").get(row)), numbers(actual.get("affine").get(row)), 1e-6);
    }
    for (String key : List.of("scl_slope", "scl_inter", "min", "max", "mean")) {
      JsonNode want = expected.get(key);
      if (want.isNull()) {
        assertEquals(want, actual.get(key), key);
      } else {
        assertEquals(want.asDouble(), actual.get(key).asDouble(), 1e-6 * Math.abs(want.asDouble()), key);
      }
    }
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static double[] numbers(JsonNode array) {
    double[] values = new double[array.size()];
    for (int n = 0; n < values.length; n++) {
      values[n] = array.get(n).asDouble();
    }
    return values;
  }
}

package org.isles.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.isles.testing.PythonOracle;
import org.isles.volume.Grid;
import org.isles.volume.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Files written here must read back identically in nibabel, and nibabel's files here. */
class NiftiRoundTripTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * {@code describe(path, raw)} loads an image with nibabel, dumps get_fdata() to raw and prints
   * geometry and scaling as JSON (the loaded header's scl fields are reset by nibabel; the proxy
   * keeps the file's).
   */
  private static final String NIBABEL_DESCRIBE = String.join("\n",
      "import sys, json, numpy as np, nibabel as nib",
      "def describe(path, raw):",
      "    img = nib.load(path)",
      "    np.asarray(img.get_fdata(), dtype='<f8').ravel(order='F').tofile(raw)",
      "    h = img.header",
      "    slope, inter = float(img.dataobj.slope), float(img.dataobj.inter)",
      "    print(json.dumps({'shape': list(img.shape), 'affine': img.affine.tolist(),",
      "      'qform': h.get_qform().tolist(), 'sform': h.get_sform().tolist(),",
      "      'qform_code': int(h['qform_code']), 'sform_code': int(h['sform_code']),",
      "      'dtype': str(h.get_data_dtype()), 'slope': slope, 'inter': inter,",
      "      'units': list(h.get_xyzt_units())}))",
      "");

  @TempDir Path dir;

  /** A left-handed, rotated, anisotropic grid: exercises qfac and the quaternion. */
  private static Grid obliqueGrid() {
    double[][] rotation = rotationXyz(0.3, -0.2, 0.5);
    double[] spacing = {0.9, 1.1, 2.5};
    double[] flip = {-1, 1, 1};
    double[] affine = new double[16];
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        affine[4 * r + c] = rotation[r][c] * spacing[c] * flip[c];
      }
    }
    affine[3] = 91.25;
    affine[7] = -120.5;
    affine[11] = -60.75;
    affine[15] = 1;
    return new Grid(7, 6, 5, affine);
  }

  private static double[][] rotationXyz(double ax, double ay, double az) {
    double[][] x = {{1, 0, 0}, {0, Math.cos(ax), -Math.sin(ax)}, {0, Math.sin(ax), Math.cos(ax)}};
    double[][] y = {{Math.cos(ay), 0, Math.sin(ay)}, {0, 1, 0}, {-Math.sin(ay), 0, Math.cos(ay)}};
    double[][] z = {{Math.cos(az), -Math.sin(az), 0}, {Math.sin(az), Math.cos(az), 0}, {0, 0, 1}};
    return multiply(z, multiply(y, x));
  }

  private static double[][] multiply(double[][] a, double[][] b) {
    double[][] out = new double[3][3];
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        for (int k = 0; k < 3; k++) {
          out[r][c] += a[r][k] * b[k][c];
        }
      }
    }
    return out;
  }

  private static double[] flatten(JsonNode matrix) {
    double[] flat = new double[16];
    for (int n = 0; n < 16; n++) {
      flat[n] = matrix.get(n / 4).get(n % 4).asDouble();
    }
    return flat;
  }

  private JsonNode nibabelRead(Path file, Path dataOut) throws IOException {
    return JSON.readTree(PythonOracle.run(NIBABEL_DESCRIBE + "describe(sys.argv[1], sys.argv[2])",
        file.toString(), dataOut.toString()));
  }

  @ParameterizedTest(name = "{0} as {1}")
  @CsvSource({
    "float32, out.nii.gz, 1, 0",
    "float32, out.nii, 1, 0",
    "int16, scaled.nii.gz, 0.25, -100",
    "uint8, mask.nii.gz, 1, 0",
  })
  void javaWritesWhatNibabelReads(String dtype, String name, double slope, double inter) throws IOException {
    NiftiDatatype type = NiftiDatatype.fromName(dtype);
    Grid grid = obliqueGrid();
    Random random = new Random(7);
    float[] values = new float[grid.size()];
    for (int n = 0; n < values.length; n++) {
      values[n] = switch (type) {
        case UINT8 -> random.nextInt(3);
        case INT16 -> (float) (inter + slope * (random.nextInt(4000) - 2000));
        default -> (float) random.nextGaussian() * 1000;
      };
    }
    Path file = dir.resolve(name);
    Nifti.write(file, new Volume(grid, values), type, slope, inter);

    JsonNode nib = nibabelRead(file, dir.resolve("data.f64"));
    assertEquals(dtype, nib.get("dtype").asText().replace("<", "").replace("|", ""));
    assertEquals("[7,6,5]", nib.get("shape").toString());
    assertArrayEquals(grid.affine(), flatten(nib.get("affine")), 1e-5);
    assertArrayEquals(grid.affine(), flatten(nib.get("qform")), 1e-5, "qform must encode the same affine");
    assertEquals(1, nib.get("qform_code").asInt());
    assertEquals(1, nib.get("sform_code").asInt());
    assertEquals("mm", nib.get("units").get(0).asText());
    double[] nibData = PythonOracle.readDoubles(dir.resolve("data.f64"));
    assertEquals(values.length, nibData.length);
    for (int n = 0; n < values.length; n++) {
      assertEquals(values[n], nibData[n], Math.abs(values[n]) * 1e-6, "voxel " + n);
    }
  }

  @Test
  void floatDataWrittenAsInt16WithoutScalingIsFittedToTheRange() throws IOException {
    Grid grid = Grid.axisAligned(5, 4, 3, 1, 1, 2);
    float[] values = new float[grid.size()];
    for (int n = 0; n < values.length; n++) {
      values[n] = (float) Math.sin(n) * 3.5e5f;
    }
    Path file = dir.resolve("fitted.nii.gz");
    Nifti.write(file, new Volume(grid, values), NiftiDatatype.INT16);

    nibabelRead(file, dir.resolve("data.f64"));
    double[] nibData = PythonOracle.readDoubles(dir.resolve("data.f64"));
    double step = 7e5 / 65535;
    for (int n = 0; n < values.length; n++) {
      assertEquals(values[n], nibData[n], step, "voxel " + n + " within one int16 step");
    }
  }

  @Test
  void maskWrittenAsUint8IsStoredUnscaled() throws IOException {
    Grid grid = Grid.axisAligned(4, 4, 4, 1, 1, 1);
    float[] values = new float[grid.size()];
    for (int n = 0; n < values.length; n += 3) {
      values[n] = 1;
    }
    Path file = dir.resolve("mask.nii");
    Nifti.write(file, new Volume(grid, values), NiftiDatatype.UINT8);

    JsonNode nib = nibabelRead(file, dir.resolve("data.f64"));
    assertEquals(1.0, nib.get("slope").asDouble());
    assertEquals(0.0, nib.get("inter").asDouble());
    double[] nibData = PythonOracle.readDoubles(dir.resolve("data.f64"));
    for (int n = 0; n < values.length; n++) {
      assertEquals(values[n], nibData[n], 0.0);
    }
  }

  /** nibabel writes, Java reads: byte orders, versions, datatypes, scaling, 4-D, no xform codes. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "float32 little-endian NIfTI-1   | Nifti1Image | <f4 | 1   | 0  | (5,4,3)   | 1 | a.nii.gz",
    "float64 big-endian NIfTI-1      | Nifti1Image | >f8 | 1   | 0  | (5,4,3)   | 1 | b.nii",
    "int16 scaled big-endian         | Nifti1Image | >i2 | 0.5 | 10 | (5,4,3)   | 1 | c.nii.gz",
    "int64 NIfTI-2                   | Nifti2Image | <i8 | 1   | 0  | (5,4,3)   | 1 | d.nii.gz",
    "uint16 scaled big-endian NIfTI-2 4-D | Nifti2Image | >u2 | 2 | -3 | (5,4,3,2) | 1 | e.nii",
    "uint32                          | Nifti1Image | <u4 | 1   | 0  | (5,4,3)   | 1 | f.nii",
    "int8 scaled                     | Nifti1Image | i1  | 3   | 1  | (5,4,3)   | 1 | g.nii",
    "int32 big-endian                | Nifti1Image | >i4 | 1   | 0  | (5,4,3)   | 1 | h.nii.gz",
    "uint8 without xform codes       | Nifti1Image | u1  | 1   | 0  | (5,4,3)   | 0 | i.nii",
    "float32 2-D without xform codes | Nifti1Image | <f4 | 1   | 0  | (6,5)     | 0 | j.nii",
  })
  void nibabelWritesWhatJavaReads(String label, String imageClass, String dtype, double slope, double inter,
      String shape, int xformCode, String name) throws IOException {
    String writeThenDescribe = NIBABEL_DESCRIBE + String.join("\n",
        "from nibabel.eulerangles import euler2mat",
        "cls, dtype, slope, inter, shape, code, out, raw = sys.argv[1:9]",
        "shape = eval(shape); dt = np.dtype(dtype)",
        "rng = np.random.default_rng(3)",
        "info = np.iinfo(dt) if dt.kind in 'iu' else None",
        "data = (rng.integers(max(info.min, -30000), min(info.max, 30000), size=shape) if info is not None",
        "       else rng.normal(0, 1e3, size=shape)).astype(dt)",
        "aff = np.eye(4); aff[:3, :3] = euler2mat(0.2, -0.4, 0.1) @ np.diag([1.5, -0.8, 2.2]); aff[:3, 3] = [3, -4, 5]",
        "hdr = getattr(nib, cls).header_class(endianness=dt.byteorder if dt.byteorder in '<>' else '<')",
        "img = getattr(nib, cls)(data, aff, hdr)",
        "img.header.set_data_dtype(dt)",
        "img.header.set_slope_inter(float(slope), float(inter))",
        "img.header.set_qform(aff, int(code)); img.header.set_sform(aff, int(code))",
        "img.to_filename(out)",
        "describe(out, raw)");
    Path file = dir.resolve(name);
    JsonNode nib = JSON.readTree(PythonOracle.run(writeThenDescribe, imageClass, dtype, Double.toString(slope),
        Double.toString(inter), shape, Integer.toString(xformCode), file.toString(), dir.resolve("data.f64").toString()));

    NiftiImage image = Nifti.read(file);
    assertEquals(nib.get("shape").toString(), Arrays.toString(image.header().dims()).replace(" ", ""));
    assertEquals(imageClass.startsWith("Nifti2") ? 2 : 1, image.header().version());
    assertArrayEquals(flatten(nib.get("affine")), image.header().affine(), 1e-6);
    double[] expected = PythonOracle.readDoubles(dir.resolve("data.f64"));
    assertEquals(expected.length, image.data().length);
    for (int n = 0; n < expected.length; n++) {
      assertEquals(expected[n], image.data()[n], Math.abs(expected[n]) * 1e-6, "voxel " + n);
    }
  }

  @Test
  void extensionsBeforeTheDataAreSkipped() throws IOException {
    Path file = dir.resolve("extended.nii.gz");
    PythonOracle.run(String.join("\n",
        "import sys, numpy as np, nibabel as nib",
        "img = nib.Nifti1Image(np.arange(60, dtype='i2').reshape(3, 4, 5), np.diag([2, 2, 2, 1]))",
        "img.header.extensions.append(nib.nifti1.Nifti1Extension('comment', b'an extension of some length' * 9))",
        "img.to_filename(sys.argv[1])"), file.toString());

    NiftiImage image = Nifti.read(file);

    assertEquals(352 + 256, image.header().voxOffset(), "one 256-byte extension after the header");
    for (int k = 0; k < 5; k++) {
      for (int j = 0; j < 4; j++) {
        for (int i = 0; i < 3; i++) {
          assertEquals(i * 20 + j * 5 + k, image.firstVolume().get(i, j, k), 0.0);
        }
      }
    }
  }

  /** A sheared affine has no exact qform: the sform keeps it, the qform is nibabel's nearest one. */
  @Test
  void shearedAffineKeepsTheSformAndStoresNibabelsQform() throws IOException {
    double[] affine = {1.1, 0.3, 0.05, -40, -0.2, 0.9, 0.4, 12, 0.1, -0.35, 2.4, 33, 0, 0, 0, 1};
    Grid grid = new Grid(4, 5, 6, affine);
    Path file = dir.resolve("sheared.nii.gz");
    Nifti.write(file, new Volume(grid, new float[grid.size()]), NiftiDatatype.UINT8);

    String nibabelQform = String.join("\n",
        "import sys, json, numpy as np, nibabel as nib",
        "img = nib.load(sys.argv[1])",
        "reference = nib.Nifti1Header(); reference.set_qform(img.affine, 1)",
        "print(json.dumps({'affine': img.affine.tolist(), 'stored_qform': img.header.get_qform().tolist(),",
        "  'nibabel_qform': reference.get_qform().tolist()}))");
    JsonNode nib = JSON.readTree(PythonOracle.run(nibabelQform, file.toString()));
    assertArrayEquals(affine, flatten(nib.get("affine")), 1e-5);
    assertArrayEquals(flatten(nib.get("nibabel_qform")), flatten(nib.get("stored_qform")), 1e-5);
    assertArrayEquals(flatten(nib.get("stored_qform")), Nifti.readHeader(file).qformAffine(), 1e-6);
  }

  /** The lossy conversion a caller asks for: NaN reads back in nibabel as 0, infinities as the written range's ends. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"int16", "uint8"})
  void askedForLossyConversionStoresNanAsZeroAndInfinitiesAsTheRangeEnds(String dtype) throws IOException {
    NiftiDatatype type = NiftiDatatype.fromName(dtype);
    Grid grid = Grid.axisAligned(4, 3, 2, 1, 1, 1);
    float[] values = new float[grid.size()];
    for (int n = 0; n < values.length; n++) {
      values[n] = type == NiftiDatatype.UINT8 ? n % 5 + 3 : (float) Math.sin(n) * 1000 + 1500.25f;
    }
    values[2] = Float.NaN;
    values[3] = Float.POSITIVE_INFINITY;
    values[4] = Float.NEGATIVE_INFINITY;
    Path file = dir.resolve("lossy.nii.gz");
    Nifti.write(file, new Volume(grid, values), type, NonFiniteValues.CONVERT);

    nibabelRead(file, dir.resolve("data.f64"));
    double[] nib = PythonOracle.readDoubles(dir.resolve("data.f64"));
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (float value : values) {
      if (Float.isFinite(value)) {
        min = Math.min(min, value);
        max = Math.max(max, value);
      }
    }
    // with a NaN present, 0 joins the fitted range so that NaN can read back as 0
    min = Math.min(min, 0);
    double step = type == NiftiDatatype.UINT8 ? 0 : (max - min) / 65535;
    assertEquals(0, nib[2], step, "NaN");
    assertEquals(type == NiftiDatatype.UINT8 ? 255 : max, nib[3], step, "+Inf");
    assertEquals(type == NiftiDatatype.UINT8 ? 0 : min, nib[4], step, "-Inf");
    for (int n = 5; n < values.length; n++) {
      assertEquals(values[n], nib[n], step, "voxel " + n);
    }
  }
}

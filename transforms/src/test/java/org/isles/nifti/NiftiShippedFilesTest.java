package org.isles.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.isles.testing.PythonOracle;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every NIfTI (and NIfTI-like .hdr) file that Debian's python3-nibabel and python3-dipy ship,
 * found at test time: single-file NIfTI-1/2 images must read exactly as nibabel reads them (shape,
 * header fields, affine, every scaled voxel); whatever nibabel loads as something else (pairs,
 * Analyze, CIFTI-2) must be refused with a message naming the file and the reason.
 */
class NiftiShippedFilesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** For each file in argv[2:], prints what nibabel makes of it and dumps its voxels under argv[1]. */
  private static final String NIBABEL_DESCRIBE = String.join("\n",
      "import sys, os, json, numpy as np, nibabel as nib",
      "out = {}",
      "for n, f in enumerate(sys.argv[2:]):",
      "    img = nib.load(f)",
      "    kind = type(img).__name__",
      "    d = {'class': kind}",
      "    if kind in ('Nifti1Image', 'Nifti2Image'):",
      "        h = img.header",
      "        raw = os.path.join(sys.argv[1], '%d.f64' % n)",
      "        np.asarray(img.get_fdata(), dtype='<f8').ravel(order='F').tofile(raw)",
      "        d.update(raw=raw, shape=list(img.shape), affine=img.affine.tolist(),",
      "            datatype=int(h['datatype']), bitpix=int(h['bitpix']), pixdim=h['pixdim'].tolist(),",
      "            qform_code=int(h['qform_code']), sform_code=int(h['sform_code']),",
      "            qform=h.get_qform().tolist(), sform=h.get_sform().tolist(),",
      "            slope=float(img.dataobj.slope), inter=float(img.dataobj.inter),",
      "            big_endian=h.endianness == '>', descrip=h['descrip'].item().decode('latin-1').split('\\0')[0],",
      "            xyzt_units=int(h['xyzt_units']), intent_code=int(h['intent_code']))",
      "    out[f] = d",
      "print(json.dumps(out))");

  @TempDir static Path dir;

  /** Every shipped .nii/.nii.gz/.hdr; dipy's list is skipped when dipy is not installed. */
  private static List<String> shippedFiles() throws IOException, InterruptedException {
    List<String> files = new ArrayList<>();
    for (String pkg : List.of("python3-nibabel", "python3-dipy")) {
      Process dpkg = new ProcessBuilder("dpkg", "-L", pkg).redirectErrorStream(true).start();
      String listing = new String(dpkg.getInputStream().readAllBytes());
      if (dpkg.waitFor() == 0) {
        listing.lines().filter(f -> f.matches(".*\\.(nii|nii\\.gz|hdr)$")).forEach(files::add);
      }
    }
    assertFalse(files.isEmpty(), "python3-nibabel ships NIfTI test files; is it installed?");
    return files;
  }

  @TestFactory
  Stream<DynamicTest> everyShippedFileReadsAsNibabelReadsIt() throws Exception {
    List<String> files = shippedFiles();
    List<String> args = new ArrayList<>(List.of(dir.toString()));
    args.addAll(files);
    JsonNode oracle = JSON.readTree(PythonOracle.run(NIBABEL_DESCRIBE, args.toArray(String[]::new)));
    return files.stream().map(f -> DynamicTest.dynamicTest(Path.of(f).getFileName().toString(), () -> {
      JsonNode expected = oracle.get(f);
      switch (expected.get("class").asText()) {
        case "Nifti1Image", "Nifti2Image" -> assertReadsLikeNibabel(Path.of(f), expected);
        case "Nifti1Pair", "Nifti2Pair" -> assertRefused(Path.of(f), "pair");
        case "Cifti2Image" -> assertRefused(Path.of(f), "CIFTI-2");
        default -> assertRefused(Path.of(f), "wrong magic");
      }
    }));
  }

  private static void assertReadsLikeNibabel(Path file, JsonNode expected) throws IOException {
    NiftiHeader header = Nifti.readHeader(file);
    NiftiImage image = Nifti.read(file);
    assertEquals(expected.get("class").asText().equals("Nifti2Image") ? 2 : 1, header.version());
    assertEquals(expected.get("shape").toString(), Arrays.toString(header.dims()).replace(" ", ""));
    assertEquals(expected.get("big_endian").asBoolean() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN,
        header.byteOrder());
    assertEquals(expected.get("datatype").asInt(), header.datatype().code());
    assertEquals(expected.get("bitpix").asInt(), header.bitpix());
    assertArrayEquals(doubles(expected.get("pixdim")), header.pixdim(), 1e-6 * 1e3);
    assertEquals(expected.get("qform_code").asInt(), header.qformCode());
    assertEquals(expected.get("sform_code").asInt(), header.sformCode());
    assertEquals(expected.get("xyzt_units").asInt(), header.xyztUnits());
    assertEquals(expected.get("intent_code").asInt(), header.intentCode());
    assertEquals(expected.get("descrip").asText(), header.descrip());
    assertArrayEquals(matrix(expected.get("affine")), header.affine(), 1e-5, "affine");
    assertArrayEquals(matrix(expected.get("qform")), header.qformAffine(), 1e-5, "qform");
    assertArrayEquals(matrix(expected.get("sform")), header.sformAffine(), 1e-5, "sform");

    double[] voxels = PythonOracle.readDoubles(Path.of(expected.get("raw").asText()));
    assertEquals(voxels.length, image.data().length);
    for (int n = 0; n < voxels.length; n++) {
      if (Math.abs(voxels[n] - image.data()[n]) > 1e-6 * Math.abs(voxels[n])) {
        assertEquals(voxels[n], image.data()[n], "voxel " + n);
      }
    }
    assertTrue(image.grid().sameGrid(image.firstVolume().grid(), 0));
  }

  private static void assertRefused(Path file, String reason) {
    NiftiException refused = assertThrows(NiftiException.class, () -> Nifti.read(file));
    assertTrue(refused.getMessage().contains(file.toString()), refused.getMessage());
    assertTrue(refused.getMessage().contains(reason), refused.getMessage());
  }

  private static double[] doubles(JsonNode array) {
    double[] values = new double[array.size()];
    for (int n = 0; n < values.length; n++) {
      values[n] = array.get(n).asDouble();
    }
    return values;
  }

  private static double[] matrix(JsonNode rows) {
    double[] flat = new double[16];
    for (int n = 0; n < 16; n++) {
      flat[n] = rows.get(n / 4).get(n % 4).asDouble();
    }
    return flat;
  }
}

package org.isles.cli;

import static org.isles.cli.CliRun.isles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.isles.nifti.HostileNiftiFiles;
import org.isles.testing.PythonOracle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code isles nifti info|convert} end to end, checked against nibabel. */
class NiftiCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Writes a float32 image with an oblique affine to argv[1]; prints its nan-aware statistics. */
  private static final String WRITE_IMAGE = String.join("\n",
      "import sys, json, numpy as np, nibabel as nib",
      "from nibabel.eulerangles import euler2mat",
      "data = np.random.default_rng(2).normal(100, 40, (9, 8, 7)).astype('f4'); data[4, 4, 4] = np.nan",
      "aff = np.eye(4); aff[:3, :3] = euler2mat(0.1, 0.2, 0.3) * 1.25; aff[:3, 3] = [-10, 20, 5]",
      "nib.save(nib.Nifti1Image(data, aff), sys.argv[1])",
      "print(json.dumps({'min': float(np.nanmin(data)), 'max': float(np.nanmax(data)),",
      "  'mean': float(np.nanmean(data.astype('f8'))), 'affine': aff.tolist()}))");

  @TempDir Path dir;


  @Test
  void infoPrintsGeometryAndStatistics() throws IOException {
    Path file = dir.resolve("t1.nii.gz");
    JsonNode expected = JSON.readTree(PythonOracle.run(WRITE_IMAGE, file.toString()));

    CliRun run = isles("nifti", "info", file.toString());

    assertEquals(0, run.exitCode(), run.err());
    JsonNode info = JSON.readTree(run.out());
    assertEquals("[9,8,7]", info.get("dims").toString());
    assertEquals("float32", info.get("datatype").asText());
    for (int n = 0; n < 16; n++) {
      assertEquals(expected.get("affine").get(n / 4).get(n % 4).asDouble(),
          info.get("affine").get(n / 4).get(n % 4).asDouble(), 1e-5);
    }
    for (String key : new String[] {"min", "max", "mean"}) {
      assertEquals(expected.get(key).asDouble(), info.get(key).asDouble(), 1e-6 * Math.abs(expected.get(key).asDouble()));
    }
  }

  @Test
  void convertToInt16KeepsValuesWithinOneStep() throws IOException {
    Path input = dir.resolve("t1.nii.gz");
    JsonNode expected = JSON.readTree(PythonOracle.run(WRITE_IMAGE, input.toString()));
    Path output = dir.resolve("t1_int16.nii");

    // the image holds a NaN, which int16 cannot store: the lossy conversion is asked for
    CliRun run = isles("nifti", "convert", input.toString(), output.toString(), "--dtype", "int16", "--allow-lossy");

    assertEquals(0, run.exitCode(), run.err());
    String check = String.join("\n",
        "import sys, numpy as np, nibabel as nib",
        "a, b = nib.load(sys.argv[1]), nib.load(sys.argv[2])",
        "fa, fb = a.get_fdata(), b.get_fdata()",
        "ok = ~np.isnan(fa)",
        "print(b.get_data_dtype(), float(np.abs(fa[ok] - fb[ok]).max()), float(np.abs(a.affine - b.affine).max()))");
    String[] report = PythonOracle.run(check, input.toString(), output.toString()).trim().split(" ");
    assertEquals("int16", report[0]);
    double step = (expected.get("max").asDouble() - expected.get("min").asDouble()) / 65535;
    assertTrue(Double.parseDouble(report[1]) <= step, "largest error " + report[1] + " vs step " + step);
    assertTrue(Double.parseDouble(report[2]) < 1e-5, "affine differs by " + report[2]);
  }

  @Test
  void badInputExitsNonZeroNamingTheFile() throws IOException {
    Path file = dir.resolve("broken.nii");
    Files.writeString(file, "not an image");

    CliRun run = isles("nifti", "info", file.toString());

    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains(file.toString()) && run.err().contains("not a NIfTI file"), run.err());
  }

  @Test
  void convertRefusesNanInAnIntegerTypeUnlessAllowed() throws IOException {
    Path input = dir.resolve("t1.nii.gz");
    JsonNode expected = JSON.readTree(PythonOracle.run(WRITE_IMAGE, input.toString()));
    Path output = dir.resolve("t1_uint8.nii.gz");

    CliRun refused = isles("nifti", "convert", input.toString(), output.toString(), "--dtype", "uint8");

    assertEquals(2, refused.exitCode());
    assertTrue(refused.err().contains(output.toString()) && refused.err().contains("1 NaN and 0 infinite voxels"),
        refused.err());
    assertEquals(1, refused.err().lines().count(), refused.err());
    assertTrue(Files.notExists(output));

    CliRun allowed = isles("nifti", "convert", input.toString(), output.toString(), "--dtype", "uint8", "--allow-lossy");

    assertEquals(0, allowed.exitCode(), allowed.err());
    String nanVoxel = PythonOracle.run("import sys, nibabel as nib\nprint(nib.load(sys.argv[1]).get_fdata()[4, 4, 4])",
        output.toString());
    // 0 joins the fitted range so that NaN can read back as 0, within half a uint8 step
    double step = (expected.get("max").asDouble() - Math.min(0, expected.get("min").asDouble())) / 255;
    assertEquals(0, Double.parseDouble(nanVoxel.trim()), step / 2, "NaN is stored as 0");
  }

  /**
   * Issue 10's reproduction in a JVM of its own with a 2 GiB heap: a 4 MB .nii.gz holding a 1 MiB
   * image followed by 4 GiB of zeros is summarised from its declared image; the zeros are never
   * inflated (the run takes seconds, not the minute inflating 4 GiB would).
   */
  @Test
  void infoOnAGzipBombReadsTheDeclaredImageInATwoGigabyteHeap() throws Exception {
    Path file = HostileNiftiFiles.gzipBomb(dir.resolve("bomb.nii.gz"), 256, 256, 16, 4L << 30);
    String java = ProcessHandle.current().info().command().orElse("java");
    Process process = new ProcessBuilder(java, "-Xmx2g", "-cp", System.getProperty("java.class.path"),
        IslesCli.class.getName(), "nifti", "info", file.toString())
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(5, TimeUnit.MINUTES), "isles nifti info did not finish");
    assertEquals(0, process.exitValue(), output);
    JsonNode info = JSON.readTree(output.substring(output.indexOf('{')));
    assertEquals("[256,256,16]", info.get("dims").toString());
    assertEquals("uint8", info.get("datatype").asText());
    assertEquals(0, info.get("min").asDouble(), 0.0);
    assertEquals(250, info.get("max").asDouble(), 0.0);
  }

  @Test
  void infoOnAFifoFailsAtOnceNamingTheFile() throws Exception {
    Path fifo = dir.resolve("x.nii");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());

    CliRun run = isles("nifti", "info", fifo.toString());

    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains(fifo.toString()) && run.err().contains("not a regular file"), run.err());
  }
}

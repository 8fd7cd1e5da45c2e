package org.isles.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.isles.io.Json;
import org.isles.testing.PythonOracle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {

  @Test
  void fingerprintAgreesWithNibabelAndScipyAndThePlanFitsItsBudget(@TempDir Path dir) throws Exception {
    Path input = dir.resolve("synth");
    assertEquals(0, IslesCli.execute("synth", "--out", input.toString(), "--cases", "5", "--seed", "3"));
    Path out = dir.resolve("report").resolve("dataset.json");
    assertEquals(0, IslesCli.execute("report", "--input", input.toString(), "--out", out.toString(), "--memory-gb", "2"));

    Map<?, ?> report = Json.read(out, Map.class);
    Map<?, ?> fingerprint = (Map<?, ?>) report.get("fingerprint");
    List<?> cases = (List<?>) fingerprint.get("cases");
    assertEquals(5, cases.size());
    String oracle =
        PythonOracle.run(
            String.join(
                "\n",
                "import sys, glob, nibabel as nib, numpy as np, scipy.ndimage as ndi",
                "for f in sorted(glob.glob(sys.argv[1] + '/derivatives/*/ses-0001/*_msk.nii.gz')):",
                "    img = nib.load(f); m = np.asarray(img.dataobj) != 0",
                "    n = ndi.label(m, structure=np.ones((3, 3, 3)))[1]",
                "    ml = m.sum() * np.prod(img.header.get_zooms()[:3]) / 1000.0",
                "    print(n, repr(float(ml)))"),
            input.toString());
    String[] lines = oracle.strip().split("\n");
    for (int c = 0; c < cases.size(); c++) {
      Map<?, ?> entry = (Map<?, ?>) cases.get(c);
      String[] expected = lines[c].split(" ");
      assertEquals(Integer.parseInt(expected[0]), ((Number) entry.get("lesion_count")).intValue(), entry.toString());
      assertEquals(Double.parseDouble(expected[1]), ((Number) entry.get("lesion_volume_ml")).doubleValue(), 1e-4, entry.toString());
    }

    Map<?, ?> plan = (Map<?, ?>) report.get("plan");
    assertTrue(((Number) plan.get("estimated_training_memory_gb")).doubleValue() <= 2.0);
    for (Object side : (List<?>) plan.get("patch_size")) {
      assertEquals(0, ((Number) side).intValue() % 16);
    }
    for (Object png : (List<?>) report.get("plots")) {
      assertNotNull(ImageIO.read(out.resolveSibling(png.toString()).toFile()), png + " is a PNG");
    }
    assertTrue(Files.exists(out));
  }
}

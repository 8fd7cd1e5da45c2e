package org.isles.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.isles.sampling.PatchSize;
import org.isles.testing.PythonOracle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LesionContrastTest {
  /** The formula of {@link LesionContrast}'s documentation, written with scipy. */
  private static final String SCIPY_LESION_CONTRAST = String.join("\n",
      "import sys, numpy as np, scipy.ndimage as ndi",
      "nx, ny, nz = (int(v) for v in sys.argv[3:6])",
      "image = np.fromfile(sys.argv[1], dtype='<f4').reshape(nz, ny, nx)",
      "label = np.fromfile(sys.argv[2], dtype='<f4').reshape(nz, ny, nx)",
      "factor = float(sys.argv[7])",
      "g = lambda a, s: ndi.gaussian_filter(a.astype(np.float32), s, mode='nearest', truncate=4.0)",
      "brain = image != 0",
      "w = brain & ~ndi.binary_dilation(label > 0, structure=np.ones((3, 3, 3)))",
      "mu = image[w].mean()",
      "tissue = (g(w * image, 3.0) + 0.05 * mu) / (g(w, 3.0) + 0.05)",
      "reach = brain * np.minimum(1, 2 * g(label, 1.0))",
      "out = image - (1 - factor) * reach * (image - tissue)",
      "out.astype('<f4').tofile(sys.argv[6])");

  @TempDir Path dir;

  @Test
  void matchesTheFormulaWrittenWithScipy() throws Exception {
    PatchSize size = new PatchSize(18, 16, 14);
    SplittableRandom random = new SplittableRandom(11);
    float[] image = new float[size.voxels()];
    float[] label = new float[size.voxels()];
    for (int z = 0; z < size.nz(); z++) {
      for (int y = 0; y < size.ny(); y++) {
        for (int x = 0; x < size.nx(); x++) {
          int n = x + size.nx() * (y + size.ny() * z);
          boolean brain = x > 1 && y > 0; // a background slab on two sides
          boolean lesion = sq(x - 6) + sq(y - 7) + sq(z - 5) <= 9 || (x >= 12 && x <= 14 && y >= 3 && y <= 4 && z >= 9);
          label[n] = lesion ? 1 : 0;
          image[n] = brain ? (float) (0.3 * x / size.nx() + random.nextDouble(-0.5, 0.5) + (lesion ? 2.5 : 0)) : 0;
        }
      }
    }
    Path in = dir.resolve("image.f32");
    Path labelFile = dir.resolve("label.f32");
    Path out = dir.resolve("out.f32");
    PythonOracle.writeFloats(in, image);
    PythonOracle.writeFloats(labelFile, label);
    PythonOracle.run(SCIPY_LESION_CONTRAST, in.toString(), labelFile.toString(), "18", "16", "14", out.toString(), "0.4");
    float[] expected = PythonOracle.readFloats(out);

    // the second of two channels, to check the offset and that the first stays as it was
    float[] twoChannels = new float[2 * size.voxels()];
    Arrays.fill(twoChannels, 0, size.voxels(), 7f);
    System.arraycopy(image, 0, twoChannels, size.voxels(), image.length);
    LesionContrast.apply(twoChannels, size.voxels(), size, label, LesionContrast.reach(label, size), 0.4);
    for (int n = 0; n < size.voxels(); n++) {
      assertEquals(7f, twoChannels[n]);
      assertEquals(expected[n], twoChannels[size.voxels() + n], 1e-4, "voxel " + n);
    }
  }

  @Test
  void aLesionOnUniformTissueKeepsTheFactorOfItsContrast() {
    PatchSize size = PatchSize.cube(20);
    float[] image = new float[size.voxels()];
    float[] label = new float[size.voxels()];
    for (int z = 0; z < 20; z++) {
      for (int y = 0; y < 20; y++) {
        for (int x = 0; x < 20; x++) {
          int n = x + 20 * (y + 20 * z);
          boolean lesion = sq(x - 10) + sq(y - 10) + sq(z - 10) <= 16;
          label[n] = lesion ? 1 : 0;
          image[n] = z == 0 ? 0 : lesion ? 3 : 1; // slice 0 is background
        }
      }
    }
    float[] before = image.clone();
    LesionContrast.apply(image, 0, size, label, LesionContrast.reach(label, size), 0.5);
    // tissue 1 everywhere, so the lesion's deep voxels go from 3 to 1 + 0.5 (3 - 1)
    assertEquals(2.0, image[10 + 20 * (10 + 20 * 10)], 1e-5);
    assertEquals(2.0, image[11 + 20 * (10 + 20 * 9)], 1e-5);
    for (int n = 0; n < image.length; n++) {
      if (before[n] == 1) {
        assertEquals(1.0, image[n], 1e-5, "tissue voxel " + n);
      } else if (before[n] == 0) {
        assertEquals(0f, image[n], "background voxel " + n);
      } else {
        assertEquals(true, image[n] >= 2 - 1e-5 && image[n] < 3, "lesion voxel " + n + " = " + image[n]);
      }
    }
  }

  @Test
  void aPatchWithoutLesionHasNoReach() {
    assertNull(LesionContrast.reach(new float[27], PatchSize.cube(3)));
  }

  private static int sq(int v) {
    return v * v;
  }
}

package org.isles.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.isles.sampling.PatchSize;
import org.isles.testing.PythonOracle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LesionContrastTest {
  /** The fade written with scipy: its Gaussian, in float64. */
  private static final String SCIPY_FADE = String.join("\n",
      "import sys, numpy as np, scipy.ndimage as ndi",
      "nx, ny, nz = (int(v) for v in sys.argv[3:6])",
      "factor = float(sys.argv[7])",
      "img = np.fromfile(sys.argv[1], dtype='<f4').reshape(nz, ny, nx).astype(np.float64)",
      "lab = np.fromfile(sys.argv[2], dtype='<f4').reshape(nz, ny, nx).astype(np.float64)",
      "g = lambda a, s: ndi.gaussian_filter(a, s, mode='nearest', truncate=4.0)",
      "w = np.minimum(1, 2 * g(lab, 1.0))",
      "tw = 1 - w",
      "ws = tw * img",
      "tissue = np.where(g(tw, 3.0) > 1e-3, g(ws, 3.0) / np.maximum(g(tw, 3.0), 1e-12), ws.sum() / tw.sum())",
      "out = img - (1 - factor) * w * (img - tissue)",
      "out.astype('<f4').tofile(sys.argv[6])");

  @TempDir Path dir;

  @Test
  void matchesTheFadeWrittenWithScipy() throws Exception {
    PatchSize size = new PatchSize(20, 18, 16);
    SplittableRandom random = new SplittableRandom(5);
    float[] label = ball(size, 9, 8, 7, 4.5);
    float[] channel = new float[size.voxels()];
    for (int n = 0; n < channel.length; n++) {
      channel[n] = (float) (random.nextGaussian() + 2 * label[n] + 0.05 * (n % size.nx()));
    }
    Path image = dir.resolve("image.f32");
    Path labels = dir.resolve("label.f32");
    PythonOracle.writeFloats(image, channel);
    PythonOracle.writeFloats(labels, label);
    Path out = dir.resolve("out.f32");
    PythonOracle.run(SCIPY_FADE, image.toString(), labels.toString(), "20", "18", "16", out.toString(), "0.6");
    float[] expected = PythonOracle.readFloats(out);

    // The second of two channels: the offset is honoured and the first channel is left alone.
    float[] twoChannels = new float[2 * size.voxels()];
    System.arraycopy(channel, 0, twoChannels, size.voxels(), channel.length);
    float[] labelBefore = label.clone();
    LesionContrast.apply(twoChannels, size.voxels(), label, size, 0.6);
    assertArrayEquals(new float[size.voxels()], Arrays.copyOf(twoChannels, size.voxels()));
    assertArrayEquals(labelBefore, label);
    for (int n = 0; n < expected.length; n++) {
      assertEquals(expected[n], twoChannels[size.voxels() + n], 1e-4, "voxel " + n);
    }
  }

  @Test
  void aBrightLesionInUniformTissueKeepsTheFactorOfItsContrastAndNothingElseChanges() {
    PatchSize size = PatchSize.cube(24);
    float[] label = ball(size, 12, 12, 12, 5);
    float[] image = new float[size.voxels()];
    for (int n = 0; n < image.length; n++) {
      image[n] = 1 + 2 * label[n];
    }
    float[] before = image.clone();
    LesionContrast.apply(image, 0, label, size, 0.5);
    int centre = index(size, 12, 12, 12);
    // Half of the contrast of 2 is kept; the tissue estimate leans slightly toward the lesion.
    assertEquals(2.0, image[centre], 0.06);
    int changed = 0;
    for (int n = 0; n < image.length; n++) {
      if (label[n] > 0) {
        assertTrue(image[n] < before[n] && image[n] > 1.5, "lesion voxel " + n + ": " + image[n]);
      }
      if (image[n] != before[n]) {
        changed++;
      }
    }
    // Only the lesion and its rim (the label's smoothing reaches 4 voxels) change.
    assertEquals(before[index(size, 0, 0, 0)], image[index(size, 0, 0, 0)]);
    assertEquals(before[index(size, 12, 12, 22)], image[index(size, 12, 12, 22)]);
    assertTrue(changed > 0);
  }

  @Test
  void factorOneAndLesionFreePatchesLeaveTheImageAsItIs() {
    PatchSize size = PatchSize.cube(12);
    SplittableRandom random = new SplittableRandom(2);
    float[] image = new float[size.voxels()];
    for (int n = 0; n < image.length; n++) {
      image[n] = (float) random.nextGaussian();
    }
    float[] before = image.clone();
    LesionContrast.apply(image, 0, new float[size.voxels()], size, 0.5);
    assertArrayEquals(before, image);
    LesionContrast.apply(image, 0, ball(size, 6, 6, 6, 3), size, 1.0);
    assertArrayEquals(before, image);
  }

  private static int index(PatchSize size, int x, int y, int z) {
    return x + size.nx() * (y + size.ny() * z);
  }

  private static float[] ball(PatchSize size, double cx, double cy, double cz, double radius) {
    float[] label = new float[size.voxels()];
    for (int z = 0; z < size.nz(); z++) {
      for (int y = 0; y < size.ny(); y++) {
        for (int x = 0; x < size.nx(); x++) {
          double d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy) + (z - cz) * (z - cz);
          label[index(size, x, y, z)] = d2 <= radius * radius ? 1f : 0f;
        }
      }
    }
    return label;
  }
}

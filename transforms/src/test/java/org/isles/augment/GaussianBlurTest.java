package org.isles.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.isles.sampling.PatchSize;
import org.isles.testing.PythonOracle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GaussianBlurTest {
  private static final String SCIPY_BLUR = String.join("\n",
      "import sys, numpy as np, scipy.ndimage as ndi",
      "nx, ny, nz = (int(v) for v in sys.argv[2:5])",
      "a = np.fromfile(sys.argv[1], dtype='<f4').reshape(nz, ny, nx)",
      "for sigma in sys.argv[6:]:",
      "    out = ndi.gaussian_filter(a, float(sigma), mode='nearest', truncate=4.0)",
      "    out.astype('<f4').tofile(sys.argv[5] + sigma)");

  @TempDir Path dir;

  @Test
  void matchesScipyGaussianFilterWithNearestBorder() throws Exception {
    PatchSize size = new PatchSize(11, 9, 8);
    SplittableRandom random = new SplittableRandom(3);
    float[] channel = new float[size.voxels()];
    for (int n = 0; n < channel.length; n++) {
      channel[n] = (float) random.nextDouble(-3, 3);
    }
    Path input = dir.resolve("in.f32");
    PythonOracle.writeFloats(input, channel);
    String[] sigmas = {"0.5", "0.7", "1.0"};
    String[] args = new String[5 + sigmas.length];
    String[] fixed = {input.toString(), "11", "9", "8", dir.resolve("out").toString()};
    System.arraycopy(fixed, 0, args, 0, fixed.length);
    System.arraycopy(sigmas, 0, args, fixed.length, sigmas.length);
    PythonOracle.run(SCIPY_BLUR, args);

    for (String sigma : sigmas) {
      float[] expected = PythonOracle.readFloats(dir.resolve("out" + sigma));
      // Blur the second of two channels to check the channel offset and that the first is untouched.
      float[] twoChannels = new float[2 * size.voxels()];
      System.arraycopy(channel, 0, twoChannels, size.voxels(), channel.length);
      GaussianBlur.blur(twoChannels, size.voxels(), size, Double.parseDouble(sigma));
      assertArrayEquals(new float[size.voxels()], Arrays.copyOf(twoChannels, size.voxels()));
      float[] blurred = Arrays.copyOfRange(twoChannels, size.voxels(), twoChannels.length);
      for (int n = 0; n < expected.length; n++) {
        assertEquals(expected[n], blurred[n], 1e-5, "sigma " + sigma + " voxel " + n);
      }
    }
  }
}

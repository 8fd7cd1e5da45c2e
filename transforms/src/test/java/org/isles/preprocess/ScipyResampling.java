package org.isles.preprocess;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.isles.testing.PythonOracle;
import org.isles.volume.Grid;
import org.isles.volume.Volume;

/**
 * The oracle for resampling: scipy.ndimage.map_coordinates at the target voxels' source
 * coordinates inv(A_source) A_target (i, j, k, 1), computed by numpy from the two affines alone.
 */
final class ScipyResampling {
  private static final String SCRIPT = String.join("\n",
      "import sys, numpy as np",
      "from scipy import ndimage",
      "src_file, src_shape, src_aff, tgt_shape, tgt_aff, order, out_file, tie_file = sys.argv[1:]",
      "ints = lambda s: [int(v) for v in s.split(',')]",
      "aff = lambda s: np.array([float(v) for v in s.split(',')]).reshape(4, 4)",
      "src = np.fromfile(src_file, dtype='<f4').reshape(ints(src_shape), order='F')",
      "m = np.linalg.inv(aff(src_aff)) @ aff(tgt_aff)",
      "idx = np.indices(ints(tgt_shape)).reshape(3, -1, order='F').astype(np.float64)",
      "coords = m[:3, :3] @ idx + m[:3, 3:]",
      "out = ndimage.map_coordinates(src, coords, order=int(order), mode='mirror', prefilter=True)",
      "out.astype('<f4').tofile(out_file)",
      "tie = np.any(np.abs(coords - np.floor(coords) - 0.5) < 1e-6, axis=0)",
      "tie.astype('<i4').tofile(tie_file)");

  /** map_coordinates of {@code source} on {@code target}, and per voxel whether a coordinate sits on a .5 tie. */
  record Result(float[] values, boolean[] ties) {}

  private ScipyResampling() {}

  static Result mapCoordinates(Volume source, Grid target, int order, Path dir) throws IOException {
    Path in = dir.resolve("source.f32");
    Path out = dir.resolve("resampled.f32");
    Path ties = dir.resolve("ties.i32");
    PythonOracle.writeFloats(in, source.data());
    PythonOracle.run(SCRIPT, in.toString(), join(source.grid().shape()), join(source.grid().affine()),
        join(target.shape()), join(target.affine()), Integer.toString(order), out.toString(), ties.toString());
    int[] tieFlags = PythonOracle.readInts(ties);
    boolean[] tie = new boolean[tieFlags.length];
    for (int n = 0; n < tie.length; n++) {
      tie[n] = tieFlags[n] != 0;
    }
    return new Result(PythonOracle.readFloats(out), tie);
  }

  private static String join(int[] values) {
    return Arrays.stream(values).mapToObj(Integer::toString).collect(Collectors.joining(","));
  }

  private static String join(double[] values) {
    return Arrays.stream(values).mapToObj(Double::toString).collect(Collectors.joining(","));
  }
}

package org.isles.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.isles.dataset.BidsLayout;
import org.isles.dataset.Modality;
import org.isles.testing.PythonOracle;
import org.isles.volume.Grid;
import org.isles.volume.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nibabel reads the generated files as intended: geometry, storage types, scaling and voxels. */
class SyntheticFilesNibabelTest {
  private static final int CASES = 8;

  /**
   * argv: root, output dir, file paths relative to root. For each file: its voxels (get_fdata,
   * Fortran order) to OUT/N.f8, and one JSON line with shape, affine, dtype and scaling. Then for
   * each case, the share of DWI brain voxels whose centres, mapped through the two affines, land
   * among FLAIR brain voxels (any of the 8 around the point): 1 when both grids place the head at
   * the same world position, far less for a flipped or shifted axis.
   */
  private static final String NIBABEL_READ = String.join("\n",
      "import sys, json, numpy as np, nibabel as nib",
      "root, out, files = sys.argv[1], sys.argv[2], sys.argv[3:]",
      "for n, f in enumerate(files):",
      "    img = nib.load(root + '/' + f)",
      "    np.asarray(img.get_fdata(), dtype='<f8').ravel(order='F').tofile(out + '/' + str(n) + '.f8')",
      "    print(json.dumps({'file': f, 'shape': list(img.shape), 'affine': img.affine.tolist(),",
      "        'dtype': str(img.get_data_dtype()), 'slope': float(img.dataobj.slope), 'inter': float(img.dataobj.inter)}))",
      "for f in files:",
      "    if not f.endswith('_dwi.nii.gz'): continue",
      "    dwi = nib.load(root + '/' + f)",
      "    flair = nib.load(root + '/' + f.replace('/dwi/', '/anat/').replace('_dwi.', '_FLAIR.'))",
      "    brain = np.argwhere(dwi.get_fdata() != 0)",
      "    world = nib.affines.apply_affine(dwi.affine, brain)",
      "    corner = np.floor(nib.affines.apply_affine(np.linalg.inv(flair.affine), world)).astype(int)",
      "    f_data = flair.get_fdata()",
      "    hits = np.zeros(len(corner), bool)",
      "    for offset in np.ndindex(2, 2, 2):",
      "        ijk = corner + np.array(offset)",
      "        inside = np.all((ijk >= 0) & (ijk < np.array(flair.shape)), axis=1)",
      "        hits[inside] |= f_data[tuple(ijk[inside].T)] != 0",
      "    print(json.dumps({'overlap': f, 'share': float(hits.mean())}))");

  @TempDir Path root;
  @TempDir Path out;

  @Test
  void nibabelReadsEveryFileAsGenerated() throws IOException {
    SyntheticDataset dataset = new SyntheticDataset(11, 0.35);
    dataset.write(root, CASES, done -> {});
    List<String> files = new ArrayList<>();
    List<Volume> expected = new ArrayList<>();
    List<ImageEncoding> encodings = new ArrayList<>();
    for (int n = 1; n <= CASES; n++) {
      SyntheticCase generated = dataset.generate(n);
      for (Modality modality : Modality.values()) {
        files.add(root.relativize(BidsLayout.path(root, generated.caseId(), modality)).toString());
        expected.add(generated.image(modality));
        encodings.add(generated.encoding(modality));
      }
    }
    List<String> args = new ArrayList<>(List.of(root.toString(), out.toString()));
    args.addAll(files);
    String[] lines = PythonOracle.run(NIBABEL_READ, args.toArray(String[]::new)).strip().split("\n");
    assertEquals(files.size() + CASES, lines.length);

    ObjectMapper json = new ObjectMapper();
    Set<String> storedAs = new HashSet<>();
    for (int n = 0; n < files.size(); n++) {
      JsonNode file = json.readTree(lines[n]);
      String name = files.get(n);
      Grid grid = expected.get(n).grid();
      assertEquals(name, file.get("file").asText());
      assertArrayEquals(grid.shape(), json.treeToValue(file.get("shape"), int[].class), name);
      double[] affine = new double[16];
      for (int r = 0; r < 4; r++) {
        for (int c = 0; c < 4; c++) {
          affine[4 * r + c] = file.get("affine").get(r).get(c).asDouble();
        }
      }
      assertArrayEquals(grid.affine(), affine, 1e-9, name);
      ImageEncoding encoding = encodings.get(n);
      String dtype = switch (encoding.datatype()) {
        case INT16 -> "int16";
        case FLOAT32 -> "float32";
        case UINT8 -> "uint8";
        default -> throw new AssertionError("unexpected storage " + encoding);
      };
      assertEquals(dtype, file.get("dtype").asText(), name);
      assertEquals(encoding.slope(), file.get("slope").asDouble(), name);
      assertEquals(encoding.inter(), file.get("inter").asDouble(), name);
      storedAs.add(dtype + " slope " + encoding.slope() + " inter " + encoding.inter());

      double[] voxels = PythonOracle.readDoubles(out.resolve(n + ".f8"));
      float[] generated = expected.get(n).data();
      assertEquals(generated.length, voxels.length, name);
      for (int v = 0; v < voxels.length; v++) {
        if (voxels[v] != generated[v]) {
          throw new AssertionError(name + " voxel " + v + ": nibabel " + voxels[v] + ", generated " + generated[v]);
        }
      }
    }
    assertEquals(Set.of("float32 slope 1.0 inter 0.0", "int16 slope 1.0 inter 0.0", "int16 slope 0.5 inter -16.0",
        "uint8 slope 1.0 inter 0.0"), storedAs);

    for (int n = files.size(); n < lines.length; n++) {
      JsonNode overlap = json.readTree(lines[n]);
      assertTrue(overlap.get("share").asDouble() > 0.995, lines[n]);
    }
  }
}

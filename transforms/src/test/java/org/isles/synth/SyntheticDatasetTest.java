package org.isles.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.isles.dataset.BidsLayout;
import org.isles.dataset.Modality;
import org.isles.nifti.Nifti;
import org.isles.volume.Grid;
import org.isles.volume.Volume;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default 24-case dataset, written once and checked for layout, determinism and content. */
class SyntheticDatasetTest {
  private static final int CASES = 24;
  private static final long SEED = 2022;

  @TempDir static Path root;
  private static final AtomicInteger lastProgress = new AtomicInteger();
  private static final Map<Path, Volume> READ = new ConcurrentHashMap<>();

  @TempDir Path dir;

  @BeforeAll
  static void writeDataset() {
    new SyntheticDataset(SEED, SyntheticDataset.DEFAULT_SIZE).write(root, CASES, done -> lastProgress.accumulateAndGet(done, Math::max));
  }

  @Test
  void writesExactlyTheIsles2022BidsLayout() throws IOException {
    Set<String> expected = new TreeSet<>(List.of("dataset_description.json", "derivatives/dataset_description.json"));
    for (int n = 1; n <= CASES; n++) {
      String id = String.format("sub-strokecase%04d", n);
      expected.add("rawdata/" + id + "/ses-0001/dwi/" + id + "_ses-0001_dwi.nii.gz");
      expected.add("rawdata/" + id + "/ses-0001/dwi/" + id + "_ses-0001_adc.nii.gz");
      expected.add("rawdata/" + id + "/ses-0001/anat/" + id + "_ses-0001_FLAIR.nii.gz");
      expected.add("derivatives/" + id + "/ses-0001/" + id + "_ses-0001_msk.nii.gz");
    }
    try (Stream<Path> files = Files.walk(root)) {
      Set<String> written = files.filter(Files::isRegularFile)
          .map(file -> root.relativize(file).toString())
          .collect(Collectors.toCollection(TreeSet::new));
      assertEquals(expected, written);
    }
    assertEquals(CASES, lastProgress.get());
  }

  @Test
  void aCaseWrittenAloneHasTheSameBytesAsInTheParallelRun() throws IOException {
    SyntheticDataset dataset = new SyntheticDataset(SEED, SyntheticDataset.DEFAULT_SIZE);
    for (int caseNumber : new int[] {3, 17}) {
      dataset.writeCase(dir, caseNumber);
      for (Modality modality : Modality.values()) {
        Path alone = BidsLayout.path(dir, BidsLayout.caseId(caseNumber), modality);
        Path inRun = BidsLayout.path(root, BidsLayout.caseId(caseNumber), modality);
        assertArrayEquals(Files.readAllBytes(inRun), Files.readAllBytes(alone), alone.toString());
      }
    }
  }

  @Test
  void anotherSeedGivesOtherImages() throws IOException {
    new SyntheticDataset(SEED + 1, SyntheticDataset.DEFAULT_SIZE).writeCase(dir, 3);
    for (Modality modality : List.of(Modality.DWI, Modality.ADC, Modality.FLAIR)) {
      Path other = BidsLayout.path(dir, BidsLayout.caseId(3), modality);
      Path original = BidsLayout.path(root, BidsLayout.caseId(3), modality);
      assertFalse(Arrays.equals(Files.readAllBytes(original), Files.readAllBytes(other)), other.toString());
    }
  }

  @Test
  void filesHoldExactlyTheGeneratedImages() {
    SyntheticCase generated = new SyntheticDataset(SEED, SyntheticDataset.DEFAULT_SIZE).generate(5);
    for (Modality modality : Modality.values()) {
      Volume read = Nifti.readVolume(BidsLayout.path(root, generated.caseId(), modality));
      assertEquals(generated.image(modality).grid(), read.grid(), modality.label());
      assertArrayEquals(generated.image(modality).data(), read.data(), modality.label());
    }
  }

  @Test
  void everyPlannedLesionIsLabelledAtItsCentreAndMimicsAreNot() {
    SyntheticDataset dataset = new SyntheticDataset(SEED, SyntheticDataset.DEFAULT_SIZE);
    int mimics = 0;
    for (int n = 1; n <= 8; n++) {
      SyntheticCase generated = dataset.generate(n);
      Volume mask = generated.image(Modality.MASK);
      for (PlannedLesion lesion : generated.lesions()) {
        assertEquals(1f, mask.data()[nearestVoxel(mask.grid(), lesion)], generated.caseId() + " " + lesion);
      }
      for (PlannedLesion mimic : generated.mimics()) {
        assertEquals(0f, mask.data()[nearestVoxel(mask.grid(), mimic)], generated.caseId() + " " + mimic);
        mimics++;
      }
    }
    assertTrue(mimics > 0, "no mimics in 8 cases");
  }

  /** Linear index of the voxel whose centre is nearest to the lesion's centre (Cramer's rule on the affine). */
  private static int nearestVoxel(Grid grid, PlannedLesion lesion) {
    double[] b = {lesion.x() - grid.affine(0, 3), lesion.y() - grid.affine(1, 3), lesion.z() - grid.affine(2, 3)};
    double det = det3(grid, b, -1);
    int[] ijk = new int[3];
    for (int c = 0; c < 3; c++) {
      ijk[c] = (int) Math.rint(det3(grid, b, c) / det);
    }
    return grid.index(ijk[0], ijk[1], ijk[2]);
  }

  /** Determinant of the affine's 3x3 part with column {@code replaced} swapped for {@code b} (none when -1). */
  private static double det3(Grid grid, double[] b, int replaced) {
    double[][] m = new double[3][3];
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        m[r][c] = c == replaced ? b[r] : grid.affine(r, c);
      }
    }
    return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
        - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
        + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  }

  @Test
  void lesionCountsRangeFromNoneToTenAndSomeCasesAreLesionFree() {
    SyntheticDataset dataset = new SyntheticDataset(SEED, SyntheticDataset.DEFAULT_SIZE);
    int lesionFree = 0;
    List<Integer> componentSizes = new ArrayList<>();
    for (int n = 1; n <= CASES; n++) {
      Volume mask = read(n, Modality.MASK);
      List<Integer> components = componentSizes(mask.nonzero(), mask.grid());
      assertTrue(components.size() <= 10, BidsLayout.caseId(n) + " has " + components.size() + " lesions");
      assertEquals(dataset.lesionFree(n), components.isEmpty(), BidsLayout.caseId(n));
      lesionFree += components.isEmpty() ? 1 : 0;
      for (int size : components) {
        componentSizes.add(size);
      }
      for (float value : mask.data()) {
        assertTrue(value == 0f || value == 1f, "mask values are 0 or 1");
      }
    }
    assertTrue(lesionFree >= 2 && lesionFree <= 4, lesionFree + " lesion-free cases of " + CASES);
    int smallest = componentSizes.stream().min(Integer::compare).orElseThrow();
    assertTrue(smallest <= 20, "the smallest lesion has " + smallest + " voxels");
  }

  @Test
  void lesionsRangeUpToTerritorialSize() {
    double largestMl = 0;
    for (int n = 1; n <= CASES; n++) {
      Volume mask = read(n, Modality.MASK);
      for (int size : componentSizes(mask.nonzero(), mask.grid())) {
        largestMl = Math.max(largestMl, size * mask.grid().voxelVolumeMl());
      }
    }
    // a territorial infarct of an adult (tens of mL) scaled to the default head: size^3 = 1/8
    assertTrue(largestMl > 3, "largest lesion " + largestMl + " mL");
  }

  @Test
  void lesionsAreBrightOnDwiAndDarkOnAdcAgainstSurroundingBrain() {
    for (int n = 1; n <= CASES; n++) {
      Volume mask = read(n, Modality.MASK);
      if (componentSizes(mask.nonzero(), mask.grid()).isEmpty()) {
        continue;
      }
      Volume dwi = read(n, Modality.DWI);
      Volume adc = read(n, Modality.ADC);
      boolean[] lesion = mask.nonzero();
      boolean[] ring = dilate(lesion, mask.grid(), 3);
      for (int v = 0; v < ring.length; v++) {
        ring[v] &= !lesion[v] && dwi.data()[v] != 0f;
      }
      String id = BidsLayout.caseId(n);
      assertTrue(mean(dwi, lesion) > 1.2 * mean(dwi, ring), id + " DWI lesion " + mean(dwi, lesion) + " vs ring " + mean(dwi, ring));
      assertTrue(mean(adc, lesion) < 0.8 * mean(adc, ring), id + " ADC lesion " + mean(adc, lesion) + " vs ring " + mean(adc, ring));
    }
  }

  @Test
  void backgroundIsExactlyZeroAroundOneConnectedBrain() {
    for (int n = 1; n <= CASES; n++) {
      String id = BidsLayout.caseId(n);
      Volume dwi = read(n, Modality.DWI);
      Volume adc = read(n, Modality.ADC);
      Volume mask = read(n, Modality.MASK);
      Volume flair = read(n, Modality.FLAIR);
      assertArrayEquals(dwi.nonzero(), adc.nonzero(), id + ": DWI and ADC share the brain");
      for (int v = 0; v < mask.data().length; v++) {
        assertTrue(mask.data()[v] == 0f || dwi.data()[v] != 0f, id + ": lesion outside the brain");
      }
      for (Volume image : List.of(dwi, flair)) {
        assertTrue(facesAreZero(image), id + ": the head touches the field of view's edge");
        List<Integer> brain = componentSizes(image.nonzero(), image.grid());
        assertEquals(1, brain.size(), id + ": brain pieces");
        double brainFraction = brain.get(0) / (double) image.grid().size();
        assertTrue(brainFraction > 0.15 && brainFraction < 0.7, id + ": brain fills " + brainFraction);
      }
    }
  }

  @Test
  void maskSharesTheDwiGridAndFlairHasItsOwnFinerGrid() {
    Set<String> orientations = new TreeSet<>();
    Set<String> spacings = new TreeSet<>();
    for (int n = 1; n <= CASES; n++) {
      String id = BidsLayout.caseId(n);
      Grid dwi = read(n, Modality.DWI).grid();
      assertEquals(dwi, read(n, Modality.ADC).grid(), id);
      assertEquals(dwi, read(n, Modality.MASK).grid(), id);
      Grid flair = read(n, Modality.FLAIR).grid();
      for (int axis = 0; axis < 3; axis++) {
        assertTrue(flair.spacing()[axis] < dwi.spacing()[axis], id + " FLAIR spacing " + Arrays.toString(flair.spacing()));
      }
      assertEquals(dwi.orientation(), flair.orientation(), id);
      orientations.add(dwi.orientation());
      spacings.add(Arrays.toString(Arrays.stream(dwi.spacing()).map(s -> Math.round(s * 10) / 10.0).toArray()));
    }
    assertTrue(orientations.size() >= 3, "orientations " + orientations);
    assertTrue(spacings.size() >= 3, "voxel sizes " + spacings);
  }

  /** Several tests look at the same files; each is read once. */
  private static Volume read(int caseNumber, Modality modality) {
    return READ.computeIfAbsent(BidsLayout.path(root, BidsLayout.caseId(caseNumber), modality), Nifti::readVolume);
  }

  private static double mean(Volume image, boolean[] region) {
    double sum = 0;
    int count = 0;
    for (int v = 0; v < region.length; v++) {
      if (region[v]) {
        sum += image.data()[v];
        count++;
      }
    }
    return sum / count;
  }

  private static boolean facesAreZero(Volume image) {
    Grid g = image.grid();
    for (int k = 0; k < g.nz(); k++) {
      for (int j = 0; j < g.ny(); j++) {
        for (int i = 0; i < g.nx(); i++) {
          boolean onFace = i == 0 || j == 0 || k == 0 || i == g.nx() - 1 || j == g.ny() - 1 || k == g.nz() - 1;
          if (onFace && image.get(i, j, k) != 0f) {
            return false;
          }
        }
      }
    }
    return true;
  }

  /** Voxel counts of the 26-connected components of {@code foreground}, by flood fill. */
  static List<Integer> componentSizes(boolean[] foreground, Grid grid) {
    boolean[] seen = new boolean[foreground.length];
    int[] stack = new int[foreground.length];
    List<Integer> sizes = new ArrayList<>();
    for (int start = 0; start < foreground.length; start++) {
      if (!foreground[start] || seen[start]) {
        continue;
      }
      int top = 0;
      int size = 0;
      stack[top++] = start;
      seen[start] = true;
      while (top > 0) {
        int v = stack[--top];
        size++;
        int i = v % grid.nx();
        int j = (v / grid.nx()) % grid.ny();
        int k = v / (grid.nx() * grid.ny());
        for (int dk = -1; dk <= 1; dk++) {
          for (int dj = -1; dj <= 1; dj++) {
            for (int di = -1; di <= 1; di++) {
              int a = i + di;
              int b = j + dj;
              int c = k + dk;
              if (a >= 0 && b >= 0 && c >= 0 && a < grid.nx() && b < grid.ny() && c < grid.nz()) {
                int w = grid.index(a, b, c);
                if (foreground[w] && !seen[w]) {
                  seen[w] = true;
                  stack[top++] = w;
                }
              }
            }
          }
        }
      }
      sizes.add(size);
    }
    return sizes;
  }

  /** {@code region} grown by a (2r+1)^3 box. */
  private static boolean[] dilate(boolean[] region, Grid grid, int radius) {
    boolean[] grown = new boolean[region.length];
    for (int k = 0; k < grid.nz(); k++) {
      for (int j = 0; j < grid.ny(); j++) {
        for (int i = 0; i < grid.nx(); i++) {
          if (!region[grid.index(i, j, k)]) {
            continue;
          }
          for (int c = Math.max(0, k - radius); c <= Math.min(grid.nz() - 1, k + radius); c++) {
            for (int b = Math.max(0, j - radius); b <= Math.min(grid.ny() - 1, j + radius); b++) {
              for (int a = Math.max(0, i - radius); a <= Math.min(grid.nx() - 1, i + radius); a++) {
                grown[grid.index(a, b, c)] = true;
              }
            }
          }
        }
      }
    }
    return grown;
  }
}

package org.isles.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.isles.dataset.BidsLayout;
import org.isles.dataset.Modality;
import org.isles.nifti.Nifti;
import org.isles.nifti.NiftiDatatype;
import org.isles.volume.Grid;
import org.isles.volume.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CasePairingTest {
  private static final Volume EMPTY = Volume.zeros(Grid.axisAligned(4, 4, 2, 1, 1, 1));

  @Test
  void pairsAFolderOfMasksByCaseId(@TempDir Path dir) throws Exception {
    Path gt = Files.createDirectories(dir.resolve("gt"));
    Path probs = Files.createDirectories(dir.resolve("probs"));
    for (String id : List.of("a", "b")) {
      Nifti.write(gt.resolve(id + ".nii.gz"), EMPTY, NiftiDatatype.UINT8);
    }
    Nifti.write(probs.resolve("a.nii.gz"), EMPTY, NiftiDatatype.FLOAT32);
    Nifti.write(probs.resolve("stray.nii"), EMPTY, NiftiDatatype.FLOAT32);
    Files.writeString(probs.resolve("notes.txt"), "not an image");

    CasePairing pairing = CasePairing.of(probs, gt);

    assertEquals(List.of("a", "b"), pairing.pairs().stream().map(CasePair::caseId).toList());
    assertEquals(probs.resolve("a.nii.gz").toString(), pairing.pairs().get(0).predictionPath());
    assertNull(pairing.pairs().get(1).predictionPath());
    assertEquals(List.of("b"), pairing.missingPredictions());
    assertEquals(List.of("stray"), pairing.unmatchedPredictions());
  }

  @Test
  void takesTheDerivativesMasksOfAnIslesRoot(@TempDir Path dir) throws Exception {
    Path root = dir.resolve("isles");
    String id = BidsLayout.caseId(1);
    for (Modality modality : List.of(Modality.DWI, Modality.ADC, Modality.MASK)) {
      Path file = BidsLayout.path(root, id, modality);
      Files.createDirectories(file.getParent());
      Nifti.write(file, EMPTY, NiftiDatatype.FLOAT32);
    }
    Path probs = Files.createDirectories(dir.resolve("probs"));
    Nifti.write(probs.resolve(id + ".nii.gz"), EMPTY, NiftiDatatype.FLOAT32);

    CasePairing pairing = CasePairing.of(probs, root);

    assertEquals(1, pairing.pairs().size());
    assertEquals(BidsLayout.path(root, id, Modality.MASK).toString(), pairing.pairs().get(0).groundTruthPath());
    assertEquals(probs.resolve(id + ".nii.gz").toString(), pairing.pairs().get(0).predictionPath());
    assertEquals(List.of(), pairing.missingPredictions());
  }

  @Test
  void restrictsToSelectedCasesAndRejectsUnknownOnes(@TempDir Path dir) throws Exception {
    Path gt = Files.createDirectories(dir.resolve("gt"));
    Path probs = Files.createDirectories(dir.resolve("probs"));
    for (String id : List.of("a", "b", "c")) {
      Nifti.write(gt.resolve(id + ".nii.gz"), EMPTY, NiftiDatatype.UINT8);
    }
    Nifti.write(probs.resolve("c.nii.gz"), EMPTY, NiftiDatatype.FLOAT32);

    CasePairing test = CasePairing.of(probs, gt).restrictedTo(List.of("c", "b"));

    assertEquals(List.of("b", "c"), test.pairs().stream().map(CasePair::caseId).toList());
    assertEquals(List.of("b"), test.missingPredictions(), "a is not selected, so its missing prediction is not reported");
    IllegalArgumentException error =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> CasePairing.of(probs, gt).restrictedTo(List.of("a", "zz")));
    assertEquals("1 selected cases have no usable ground truth: [zz]", error.getMessage());
  }
}

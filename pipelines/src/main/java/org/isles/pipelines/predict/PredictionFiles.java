package org.isles.pipelines.predict;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.isles.nifti.Nifti;
import org.isles.nifti.NiftiDatatype;
import org.isles.volume.Volume;

/**
 * Where a prediction of a case goes: {@code DIR/<case_id>.nii.gz} (float32 probabilities) and
 * {@code DIR/masks/<case_id>.nii.gz} (uint8, 1 where the probability is at least the threshold).
 * Each file is written atomically; the mask goes first, so the probabilities file existing means
 * both are complete.
 */
public final class PredictionFiles {
  public static final String MASKS_DIR = "masks";

  private PredictionFiles() {}

  public static Path probabilities(Path dir, String caseId) {
    return dir.resolve(caseId + ".nii.gz");
  }

  public static Path mask(Path dir, String caseId) {
    return dir.resolve(MASKS_DIR).resolve(caseId + ".nii.gz");
  }

  /** Whether an earlier run wrote both files of the case. */
  public static boolean exist(Path dir, String caseId) {
    return Files.isRegularFile(probabilities(dir, caseId)) && Files.isRegularFile(mask(dir, caseId));
  }

  public static void write(Path dir, String caseId, Volume probabilities, double threshold) {
    Path masks = mask(dir, caseId).getParent();
    try {
      Files.createDirectories(masks);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + masks + ": " + e.getMessage(), e);
    }
    float[] p = probabilities.data();
    float[] mask = new float[p.length];
    for (int n = 0; n < p.length; n++) {
      mask[n] = p[n] >= threshold ? 1f : 0f;
    }
    Nifti.write(mask(dir, caseId), new Volume(probabilities.grid(), mask), NiftiDatatype.UINT8);
    Nifti.write(probabilities(dir, caseId), probabilities, NiftiDatatype.FLOAT32);
  }
}

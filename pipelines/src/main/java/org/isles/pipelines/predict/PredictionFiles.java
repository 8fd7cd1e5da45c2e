package org.isles.pipelines.predict;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.isles.nifti.Nifti;
import org.isles.nifti.NiftiDatatype;
import org.isles.pipelines.RunLayout;
import org.isles.volume.Volume;

/**
 * Writes a prediction of a case where {@link RunLayout} puts it: {@code DIR/<case_id>.nii.gz}
 * (float32 probabilities) and {@code DIR/masks/<case_id>.nii.gz} (uint8, 1 where the probability is
 * at least the threshold).
 * Each file is written atomically; the mask goes first, so the probabilities file existing means
 * both are complete.
 */
public final class PredictionFiles {
  private PredictionFiles() {}

  /** Whether an earlier run wrote both files of the case. */
  public static boolean exist(Path dir, String caseId) {
    return Files.isRegularFile(RunLayout.probabilities(dir, caseId)) && Files.isRegularFile(RunLayout.mask(dir, caseId));
  }

  public static void write(Path dir, String caseId, Volume probabilities, double threshold) {
    Path masks = RunLayout.masks(dir);
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
    Nifti.write(RunLayout.mask(dir, caseId), new Volume(probabilities.grid(), mask), NiftiDatatype.UINT8);
    Nifti.write(RunLayout.probabilities(dir, caseId), probabilities, NiftiDatatype.FLOAT32);
  }
}

package org.isles.model.inference;

import java.util.List;
import org.isles.preprocess.CasePreprocessor;
import org.isles.preprocess.InverseMapping;
import org.isles.schemas.CaseRecord;
import org.isles.volume.Grid;
import org.isles.volume.Volume;

/**
 * Predicts one raw case: the run's preprocessing in memory, the ensemble's sliding-window
 * probabilities on the processed grid, and those probabilities mapped back onto the case's
 * original DWI grid. The mask is never read, so cases without one are predicted like any other.
 * Thread-safe when the ensemble is shared: each call uses its own predictors.
 */
public final class CasePredictor {
  private final CasePreprocessor preprocessor;
  private final ModelEnsemble ensemble;
  private final InferenceOptions options;

  /** Predicts with {@code ensemble}, a run's models, after their preprocessing. */
  public CasePredictor(ModelEnsemble ensemble, InferenceOptions options) {
    this.preprocessor = new CasePreprocessor(ensemble.preprocessing());
    this.ensemble = ensemble;
    this.options = options;
  }

  /** Foreground probabilities on the case's DWI grid (same shape and affine). */
  public Volume predict(CaseRecord record) {
    CaseRecord imagesOnly = CaseRecord.newBuilder(record).setMaskPath(null).build();
    CasePreprocessor.PreparedCase prepared = preprocessor.prepare(imagesOnly);
    List<Volume> channels = prepared.channels();
    Grid grid = channels.get(0).grid();
    int voxels = grid.size();
    float[] image = new float[channels.size() * voxels];
    for (int c = 0; c < channels.size(); c++) {
      System.arraycopy(channels.get(c).data(), 0, image, c * voxels, voxels);
    }
    int[] shape = {channels.size(), grid.nz(), grid.ny(), grid.nx()};
    Volume probabilities = new Volume(grid, ensemble.predictProbabilities(options, grid, image, shape));
    return InverseMapping.of(prepared.record()).toOriginal(probabilities);
  }
}

package org.isles.planning;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.isles.components.ConnectedComponents;
import org.isles.nifti.Nifti;
import org.isles.planning.ExperimentPlanner.CaseGeometry;
import org.isles.schemas.CaseRecord;
import org.isles.volume.Grid;
import org.isles.volume.Volume;

/**
 * What a dataset looks like before any choice is made: per case the DWI grid (spacing, shape,
 * orientation) and the lesions (volume in mL, count of 26-connected components).
 */
public record DatasetFingerprint(List<CaseFingerprint> cases) {

  public record CaseFingerprint(
      String caseId, int[] shape, double[] spacing, String orientation, double lesionVolumeMl, int lesionCount) {

    /** Reads the DWI header and the mask of one valid case. */
    public static CaseFingerprint of(CaseRecord record) {
      Grid dwi = Nifti.readHeader(Path.of(record.getDwiPath())).grid();
      Volume mask = Nifti.readVolume(Path.of(record.getMaskPath()));
      boolean[] lesion = mask.nonzero();
      int voxels = 0;
      for (boolean v : lesion) {
        voxels += v ? 1 : 0;
      }
      Grid grid = mask.grid();
      int count = ConnectedComponents.label(lesion, grid.nx(), grid.ny(), grid.nz()).count();
      return new CaseFingerprint(
          record.getCaseId(), dwi.shape(), dwi.spacing(), dwi.orientation(), voxels * grid.voxelVolumeMl(), count);
    }

    public double sliceThicknessMm() {
      return Math.max(spacing[0], Math.max(spacing[1], spacing[2]));
    }

    Map<String, Object> toJson() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("case_id", caseId);
      json.put("shape", shape);
      json.put("spacing_mm", spacing);
      json.put("orientation", orientation);
      json.put("slice_thickness_mm", sliceThicknessMm());
      json.put("lesion_volume_ml", lesionVolumeMl);
      json.put("lesion_count", lesionCount);
      return json;
    }
  }

  public List<CaseGeometry> geometries() {
    return cases.stream().map(c -> new CaseGeometry(c.shape(), c.spacing())).toList();
  }

  public double[] lesionVolumesMl() {
    return cases.stream().mapToDouble(CaseFingerprint::lesionVolumeMl).toArray();
  }

  public double[] sliceThicknessesMm() {
    return cases.stream().mapToDouble(CaseFingerprint::sliceThicknessMm).toArray();
  }

  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("n_cases", cases.size());
    json.put("n_cases_without_lesion", cases.stream().filter(c -> c.lesionCount() == 0).count());
    json.put("connectivity", 26);
    json.put("cases", cases.stream().map(CaseFingerprint::toJson).toList());
    return json;
  }
}

package org.isles.split;

/**
 * What the split needs to know about a case: its id and the two properties it is stratified by.
 *
 * @param sliceThicknessMm coarsest original voxel size
 * @param lesionVolumeMl lesion volume on the original grid (0 for a case without lesion)
 */
public record SplitCase(String caseId, double sliceThicknessMm, double lesionVolumeMl) {
  public static final double THICK_SLICE_MM = 3.0;
  public static final double SMALL_LESION_ML = 1.0;
  public static final double LARGE_LESION_ML = 10.0;

  public SplitCase {
    if (!(sliceThicknessMm > 0) || !(lesionVolumeMl >= 0)) {
      throw new IllegalArgumentException("case " + caseId + ": slice thickness must be > 0 and lesion volume >= 0, got "
          + sliceThicknessMm + " mm and " + lesionVolumeMl + " mL");
    }
  }

  /** The stratum, e.g. "thin/none" or "thick/1-10mL"; strata sort in a fixed order by name. */
  public String stratum() {
    String slices = sliceThicknessMm >= THICK_SLICE_MM ? "thick" : "thin";
    String lesion;
    if (lesionVolumeMl == 0) {
      lesion = "none";
    } else if (lesionVolumeMl < SMALL_LESION_ML) {
      lesion = "<1mL";
    } else if (lesionVolumeMl < LARGE_LESION_ML) {
      lesion = "1-10mL";
    } else {
      lesion = ">=10mL";
    }
    return slices + "/" + lesion;
  }
}

package org.isles.dataset;

import java.nio.file.Path;

/**
 * Where ISLES 2022 keeps each file of a case (one subject, session {@code ses-0001}):
 *
 * <pre>
 * rawdata/sub-X/ses-0001/dwi/sub-X_ses-0001_dwi.nii.gz
 * rawdata/sub-X/ses-0001/dwi/sub-X_ses-0001_adc.nii.gz
 * rawdata/sub-X/ses-0001/anat/sub-X_ses-0001_FLAIR.nii.gz
 * derivatives/sub-X/ses-0001/sub-X_ses-0001_msk.nii.gz
 * </pre>
 */
public final class BidsLayout {
  public static final String RAWDATA = "rawdata";
  public static final String DERIVATIVES = "derivatives";
  public static final String SESSION = "ses-0001";

  private BidsLayout() {}

  /** The case id of the {@code number}-th ISLES 2022 case (1-based), e.g. "sub-strokecase0001". */
  public static String caseId(int number) {
    return String.format("sub-strokecase%04d", number);
  }

  /** The file a case's {@code modality} is written to under {@code root}. */
  public static Path path(Path root, String caseId, Modality modality) {
    String fileName = caseId + "_" + SESSION + "_" + modality.suffix() + ".nii.gz";
    return switch (modality) {
      case DWI, ADC -> root.resolve(RAWDATA).resolve(caseId).resolve(SESSION).resolve("dwi").resolve(fileName);
      case FLAIR -> root.resolve(RAWDATA).resolve(caseId).resolve(SESSION).resolve("anat").resolve(fileName);
      case MASK -> root.resolve(DERIVATIVES).resolve(caseId).resolve(SESSION).resolve(fileName);
    };
  }
}

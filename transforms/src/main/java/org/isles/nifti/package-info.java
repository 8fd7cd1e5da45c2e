/**
 * The project's NIfTI codec: single-file NIfTI-1 and NIfTI-2 images (.nii, .nii.gz) read in either
 * byte order, NIfTI-1 written little-endian. Entry points are {@link org.isles.nifti.Nifti#read},
 * {@link org.isles.nifti.Nifti#readVolume}, {@link org.isles.nifti.Nifti#readHeader} and
 * {@link org.isles.nifti.Nifti#write}; every failure is a {@link org.isles.nifti.NiftiException}
 * naming the file.
 *
 * <p>nibabel 5 is the reference: shapes, affines ({@code get_best_affine}, including its
 * centred fallback), scaling ({@code scl_slope} 0 or non-finite means none) and the header repairs
 * nibabel makes on load (qfac, non-positive pixdim, unknown xform codes) match it. Deliberate
 * differences: a single file's {@code vox_offset} below 352 (544 for NIfTI-2), including 0, is
 * read as that minimum, where nibabel would read the header as voxels; {@code descrip} ends at its
 * first NUL; CIFTI-2 files, .hdr/.img pairs and Analyze headers are refused rather than read.
 */
package org.isles.nifti;

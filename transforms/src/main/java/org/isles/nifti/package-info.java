/**
 * The project's NIfTI codec: single-file NIfTI-1 and NIfTI-2 images (.nii, .nii.gz) read in either
 * byte order, NIfTI-1 written little-endian. Entry points are {@link org.isles.nifti.Nifti#read},
 * {@link org.isles.nifti.Nifti#readVolume}, {@link org.isles.nifti.Nifti#readHeader} and
 * {@link org.isles.nifti.Nifti#write}; every failure is a one-line
 * {@link org.isles.nifti.NiftiException} naming the file and the problem.
 *
 * <p>nibabel 5 is the reference: shapes, affines ({@code get_best_affine}, including its
 * centred fallback), scaling ({@code scl_slope} 0 or non-finite means none) and the header repairs
 * nibabel makes on load (qfac, negative pixdim taken by magnitude, unknown xform codes) match it;
 * {@link org.isles.nifti.NiftiHeader} makes them in one place.
 *
 * <p>Reading is bounded. Only regular files are opened (a directory, device such as
 * {@code /dev/zero}, FIFO or socket is refused before opening, so nothing blocks). The header is
 * parsed and checked first; an image of more than {@link org.isles.nifti.Nifti#MAX_VOXELS} voxels,
 * or one the file cannot hold (a plain file shorter than vox_offset plus the voxels, a gzip stream
 * too small to inflate to them at deflate's 1032:1 limit), is refused before anything is
 * allocated. Then exactly vox_offset plus the voxel bytes are read in 64 KiB chunks and reading
 * stops: trailing data is ignored, as nibabel ignores it, and never inflated, so a small .nii.gz
 * followed by gigabytes of zeros reads its declared image in bounded memory. A stream that ends
 * early is "truncated file F: N of M bytes"; a corrupt or cut-off gzip stream is "corrupt gzip in
 * F"; a gzip stream that ends right after the voxels has its CRC checked.
 *
 * <p>Header checks, each refused with its reason (nibabel refuses the first three kinds too, or
 * crashes; the rest it repairs or accepts):
 * <ul>
 *   <li>sizeof_hdr 348 or 540 in either byte order; magic {@code n+1} / {@code n+2} (pairs and
 *       Analyze refused); CIFTI-2 intent codes 3000-3099 refused;
 *   <li>dim[0] in 1..7, each used dim at least 1, their product within a long ("impossible image
 *       size"); a datatype this codec reads; bitpix equal to the datatype's width;
 *   <li>vox_offset: 0 means unset and reads as 352 (544 for NIfTI-2), right after the header, where
 *       nibabel would read the header as voxels; otherwise it must be a finite whole number of
 *       bytes, not below 352 (544) and not above 256 MiB;
 *   <li>scl_inter finite whenever scl_slope applies;
 *   <li>geometry: an xform whose code is set must be finite; without an sform the voxel sizes
 *       pixdim[1..min(3, ndim)] must be nonzero and finite (nibabel takes 0 as 1 mm: "undefined
 *       geometry"); and the affine chosen must be non-singular with positive, finite voxel sizes,
 *       so that no zero or infinite spacing reaches resampling.
 * </ul>
 *
 * <p>Writing NaN or infinities into an integer type is refused unless the caller passes
 * {@link org.isles.nifti.NonFiniteValues#CONVERT}. Other deliberate differences from nibabel:
 * {@code descrip} ends at its first NUL; .hdr/.img pairs and Analyze headers are refused rather
 * than read.
 */
package org.isles.nifti;

package org.isles.nifti;

/**
 * What {@link Nifti#write} does with NaN and infinite voxels when the file's type is an integer
 * type, which cannot hold them. Float types store them as they are under either choice.
 */
public enum NonFiniteValues {
  /** Refuse the write with a NiftiException naming the file, the type and how many voxels. */
  REFUSE,
  /** A lossy conversion the caller asked for: NaN reads back as 0, infinities as the type's range ends. */
  CONVERT
}

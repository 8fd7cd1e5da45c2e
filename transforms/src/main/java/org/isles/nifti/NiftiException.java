package org.isles.nifti;

/** Any failure to read or write a NIfTI file; the message names the file and the problem. */
public final class NiftiException extends RuntimeException {
  public NiftiException(String message) {
    super(message);
  }

  public NiftiException(String message, Throwable cause) {
    super(message, cause);
  }
}

package org.isles.dataset;

/** A case's input is unusable: a missing, unreadable or inconsistent file. Names the file. */
public final class CaseInputException extends RuntimeException {
  private final String file;

  public CaseInputException(String file, String problem) {
    super(file == null ? problem : problem + " (" + file + ")");
    this.file = file;
  }

  public CaseInputException(String file, String problem, Throwable cause) {
    super(file == null ? problem : problem + " (" + file + ")", cause);
    this.file = file;
  }

  public String file() {
    return file;
  }
}

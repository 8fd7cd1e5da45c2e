package org.isles.dataset;

/** A case's input is unusable: a missing, unreadable or inconsistent file. Names the file. */
public final class CaseInputException extends RuntimeException {
  private final String file;

  public CaseInputException(String file, String problem) {
    super(naming(file, problem));
    this.file = file;
  }

  public CaseInputException(String file, String problem, Throwable cause) {
    super(naming(file, problem), cause);
    this.file = file;
  }

  private static String naming(String file, String problem) {
    return file == null || problem.contains(file) ? problem : problem + " (" + file + ")";
  }

  public String file() {
    return file;
  }
}

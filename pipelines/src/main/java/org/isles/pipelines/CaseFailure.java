package org.isles.pipelines;

import java.io.PrintWriter;
import java.io.Serializable;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.isles.dataset.CaseInputException;

/**
 * A case that could not be done: the dead-letter record of every per-case stage (DataflowTemplates'
 * FailsafeElement idea: the case, the error and where it came from).
 *
 * @param caseId the case (or training job, "fold_k/seed_s")
 * @param file the file the error names ({@link CaseInputException#file()}), else the case's main
 *     file, or null when neither is known
 * @param cause one line: the exception's message, or "ErrorClass: message" for an {@link Error}
 * @param exception the class of the error thrown, or null when the case failed a check without one
 * @param stackTrace the error's stack trace (at most {@value #MAX_TRACE_LINES} lines), or null
 */
@DefaultCoder(SerializableCoder.class)
public record CaseFailure(String caseId, String file, String cause, String exception, String stackTrace)
    implements Serializable {
  static final int MAX_TRACE_LINES = 80;
  private static final int MAX_CAUSE_CHARS = 2000;

  /** A case refused by a check before any work, with the reason. */
  public static CaseFailure refused(String caseId, String file, String reason) {
    return new CaseFailure(caseId, file, oneLine(reason), null, null);
  }

  /** A case whose work threw {@code error}; {@code workingFile} is named when the error names no file. */
  public static CaseFailure of(String caseId, String workingFile, Throwable error) {
    String file = fileNamedBy(error);
    return new CaseFailure(caseId, file != null ? file : workingFile, causeOf(error), error.getClass().getName(),
        stackTrace(error));
  }

  /** The first file that an exception in the chain names. */
  private static String fileNamedBy(Throwable error) {
    for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
      if (e instanceof CaseInputException input && input.file() != null) {
        return input.file();
      }
    }
    return null;
  }

  /**
   * Exceptions of this product carry messages written for users; an Error's message ("Java heap
   * space") means nothing without its class.
   */
  private static String causeOf(Throwable error) {
    String message = error.getMessage();
    if (message == null || message.isBlank()) {
      return error.getClass().getSimpleName();
    }
    return oneLine(error instanceof Error ? error.getClass().getSimpleName() + ": " + message : message);
  }

  private static String oneLine(String text) {
    String line = text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    return line.length() <= MAX_CAUSE_CHARS ? line : line.substring(0, MAX_CAUSE_CHARS) + "...";
  }

  /** A stack overflow has thousands of frames; the first ones say where it happened. */
  private static String stackTrace(Throwable error) {
    StringWriter trace = new StringWriter();
    error.printStackTrace(new PrintWriter(trace));
    String[] lines = trace.toString().split("\\R");
    if (lines.length <= MAX_TRACE_LINES) {
      return String.join("\n", lines);
    }
    return String.join("\n", java.util.Arrays.copyOf(lines, MAX_TRACE_LINES))
        + "\n\t... " + (lines.length - MAX_TRACE_LINES) + " more lines";
  }

  /** The entry of failures.json: case_id, file, cause, exception, stack_trace. */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("case_id", caseId);
    json.put("file", file);
    json.put("cause", cause);
    json.put("exception", exception);
    json.put("stack_trace", stackTrace);
    return json;
  }
}

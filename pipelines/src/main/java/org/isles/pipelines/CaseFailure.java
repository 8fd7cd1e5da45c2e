package org.isles.pipelines;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * @param stackTrace the error's stack trace down to the per-case transform (at most {@value
 *     #MAX_TRACE_LINES} lines), or null
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

  /** {@code error} and its causes, each once (a cause chain may loop). */
  static List<Throwable> chain(Throwable error) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Throwable> chain = new ArrayList<>();
    for (Throwable e = error; e != null && seen.add(e); e = e.getCause()) {
      chain.add(e);
    }
    return chain;
  }

  /** The first file that an exception in the chain names. */
  private static String fileNamedBy(Throwable error) {
    for (Throwable e : chain(error)) {
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

  /**
   * The frames from where the error was thrown down to the per-case transform; the runner's frames
   * below it differ between runners and say nothing about the case. Causes stop where they meet
   * the frames above them. At most {@value #MAX_TRACE_LINES} lines: a stack overflow has thousands.
   */
  private static String stackTrace(Throwable error) {
    List<String> lines = new ArrayList<>();
    List<StackTraceElement> enclosing = List.of();
    for (Throwable e : chain(error)) {
      lines.add((e == error ? "" : "Caused by: ") + e);
      for (StackTraceElement frame : e.getStackTrace()) {
        if (enclosing.contains(frame)) {
          lines.add("\t...");
          break;
        }
        lines.add("\tat " + frame);
        if (frame.getClassName().startsWith(PerCase.class.getName() + "$")) {
          break;
        }
      }
      enclosing = List.of(e.getStackTrace());
    }
    if (lines.size() <= MAX_TRACE_LINES) {
      return String.join("\n", lines);
    }
    return String.join("\n", lines.subList(0, MAX_TRACE_LINES)) + "\n\t... " + (lines.size() - MAX_TRACE_LINES) + " more lines";
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

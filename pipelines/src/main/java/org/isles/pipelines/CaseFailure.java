package org.isles.pipelines;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.isles.dataset.CaseInputException;

/** A case that could not be processed: the dead-letter record of every per-case pipeline. */
public record CaseFailure(String caseId, String file, String cause) implements Serializable {

  public static CaseFailure of(String caseId, Throwable error) {
    String file = error instanceof CaseInputException input ? input.file() : null;
    String cause = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    return new CaseFailure(caseId, file, cause);
  }

  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("case_id", caseId);
    json.put("file", file);
    json.put("cause", cause);
    return json;
  }
}

package org.isles.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.isles.dataset.CaseInputException;
import org.junit.jupiter.api.Test;

class CaseFailureTest {
  @Test
  void theFileComesFromTheErrorChainElseFromTheCase() {
    CaseInputException input = new CaseInputException("/data/adc.nii.gz", "truncated");
    CaseFailure wrapped = CaseFailure.of("c1", "/data/dwi.nii.gz", new IllegalStateException("while resampling", input));
    assertEquals("/data/adc.nii.gz", wrapped.file());
    assertEquals("while resampling", wrapped.cause());
    assertEquals("java.lang.IllegalStateException", wrapped.exception());
    assertTrue(wrapped.stackTrace().startsWith("java.lang.IllegalStateException: while resampling\n\tat "), wrapped.stackTrace());
    assertTrue(wrapped.stackTrace().contains("\nCaused by: org.isles.dataset.CaseInputException: truncated (/data/adc.nii.gz)\n"),
        wrapped.stackTrace());

    CaseFailure unnamed = CaseFailure.of("c1", "/data/dwi.nii.gz", new UncheckedIOException("cannot write\nout", new IOException()));
    assertEquals("/data/dwi.nii.gz", unnamed.file());
    assertEquals("cannot write out", unnamed.cause(), "the cause is one line");
  }

  @Test
  void aFailureWithoutAnErrorHasNoExceptionOrTrace() {
    CaseFailure refused = CaseFailure.refused("c1", null, "ground truth\nunreadable");
    assertEquals("ground truth unreadable", refused.cause());
    assertNull(refused.exception());
    assertNull(refused.toJson().get("stack_trace"));
    assertEquals(5, refused.toJson().size(), "failures.json entries always have the same keys");
  }
}

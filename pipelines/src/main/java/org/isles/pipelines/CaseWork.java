package org.isles.pipelines;

import java.io.Serializable;

/**
 * One stage's work on one case, in plain Java: {@link PerCase} runs it on every element and turns
 * what it throws into a {@link CaseFailure}. The instance is serialised to the workers with its
 * settings; heavy resources (models, scorers) belong in transient fields that {@link #setup}
 * creates once per worker instance and {@link #teardown} frees.
 *
 * <p>{@link #process} must not keep per-case state in fields: after a case fails with an {@link
 * Error} (out of memory, say) the transform tears the work down and sets it up again, and the
 * next case starts from there.
 *
 * @param <I> a case (a record of its files, a training job)
 * @param <O> what the case produced (a record of its outputs)
 */
@FunctionalInterface
public interface CaseWork<I, O> extends Serializable {
  /** Opens heavy resources; runs once per worker instance before its first case. */
  default void setup() throws Exception {}

  /** Does one case; anything it throws costs only this case. Never returns null. */
  O process(I input) throws Exception;

  /** Frees what {@link #setup} opened. */
  default void teardown() throws Exception {}
}

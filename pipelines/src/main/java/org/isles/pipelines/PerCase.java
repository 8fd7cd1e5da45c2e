package org.isles.pipelines;

import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Runs a {@link CaseWork} on every case, one case per element, in the style of Beam's {@link
 * WithFailures}: what the work returns goes to {@link WithFailures.Result#output()}, and a case
 * whose work throws anything at all, {@link OutOfMemoryError} and other {@link Error}s included,
 * goes to {@link WithFailures.Result#failures()} as a {@link CaseFailure} while the other cases go
 * on.
 *
 * <p>Two things still end the worker, because they are the runner's and not the case's: {@code
 * ThreadDeath}, and an interrupt (the runner cancelling the task), which is passed on with the
 * thread's interrupt flag set.
 *
 * <p>After an {@link Error} the case's memory is unreachable (its stack is gone), and the work is
 * torn down and set up again so that nothing it holds outlives the failure.
 *
 * <p>Counters, namespace = the stage label: {@value StageRun#DONE} (cases that succeeded) and {@value
 * StageRun#FAILED} (cases sent to the failures); their sum is the cases finished, which {@link StageRun}
 * shows on the driver.
 */
public final class PerCase<I, O> extends PTransform<PCollection<I>, WithFailures.Result<PCollection<O>, CaseFailure>> {

  private final String stage;
  private final CaseWork<I, O> work;
  private final SerializableFunction<I, String> caseId;
  private final SerializableFunction<I, String> caseFile;
  private final Coder<O> outputCoder;

  private PerCase(String stage, CaseWork<I, O> work, SerializableFunction<I, String> caseId,
      SerializableFunction<I, String> caseFile, Coder<O> outputCoder) {
    this.stage = stage;
    this.work = work;
    this.caseId = caseId;
    this.caseFile = caseFile;
    this.outputCoder = outputCoder;
  }

  /**
   * {@code work} on every case of a stage.
   *
   * @param stage the stage's label ("preprocess", "train", "predict", "evaluate"): the namespace of
   *     its counters and the name of its progress
   */
  public static <I, O> PerCase<I, O> of(String stage, CaseWork<I, O> work) {
    return new PerCase<>(Objects.requireNonNull(stage, "stage"), Objects.requireNonNull(work, "work"), null, null, null);
  }

  /**
   * How a case is named in its failure: its id, and the file to name when the error names none
   * (the case's main file; the function may return null).
   */
  public PerCase<I, O> identifiedBy(SerializableFunction<I, String> caseId, SerializableFunction<I, String> caseFile) {
    return new PerCase<>(stage, work, Objects.requireNonNull(caseId, "caseId"), Objects.requireNonNull(caseFile, "caseFile"),
        outputCoder);
  }

  /** The coder of what the work returns (a generic work's output type cannot be inferred). */
  public PerCase<I, O> withOutputCoder(Coder<O> coder) {
    return new PerCase<>(stage, work, caseId, caseFile, Objects.requireNonNull(coder, "coder"));
  }

  @Override
  public WithFailures.Result<PCollection<O>, CaseFailure> expand(PCollection<I> cases) {
    if (caseId == null || outputCoder == null) {
      throw new IllegalStateException("PerCase " + stage + " needs identifiedBy(...) and withOutputCoder(...)");
    }
    TupleTag<O> done = new TupleTag<>();
    TupleTag<CaseFailure> failed = new TupleTag<>() {};
    PCollectionTuple results =
        cases.apply(
            "EachCase",
            ParDo.of(new PerCaseFn<>(stage, work, caseId, caseFile, done, failed)).withOutputTags(done, TupleTagList.of(failed)));
    results.get(done).setCoder(outputCoder);
    return WithFailures.Result.of(results, done, failed);
  }

  private static final class PerCaseFn<I, O> extends DoFn<I, O> {
    private final String stage;
    private final CaseWork<I, O> work;
    private final SerializableFunction<I, String> caseId;
    private final SerializableFunction<I, String> caseFile;
    private final TupleTag<O> doneTag;
    private final TupleTag<CaseFailure> failedTag;
    private final Counter done;
    private final Counter failed;

    PerCaseFn(String stage, CaseWork<I, O> work, SerializableFunction<I, String> caseId,
        SerializableFunction<I, String> caseFile, TupleTag<O> doneTag, TupleTag<CaseFailure> failedTag) {
      this.stage = stage;
      this.work = work;
      this.caseId = caseId;
      this.caseFile = caseFile;
      this.doneTag = doneTag;
      this.failedTag = failedTag;
      this.done = StageRun.done(stage);
      this.failed = StageRun.failed(stage);
    }

    @Setup
    public void setup() throws Exception {
      work.setup();
    }

    @ProcessElement
    public void process(@Element I input, MultiOutputReceiver out) throws Exception {
      String id = caseId.apply(input);
      O result;
      try {
        result = Objects.requireNonNull(work.process(input), "the work of stage " + stage + " returned no result");
      } catch (Throwable error) {
        fail(input, id, error, out);
        return;
      }
      // Outside the try: whatever the runner runs downstream of this output is not the case's failure.
      out.get(doneTag).output(result);
      done.inc();
    }

    private void fail(I input, String id, Throwable error, MultiOutputReceiver out) throws Exception {
      if (error instanceof ThreadDeath death) {
        throw death;
      }
      if (isInterrupt(error)) {
        Thread.currentThread().interrupt();
        if (error instanceof Exception exception) {
          throw exception;
        }
        if (error instanceof Error fatal) {
          throw fatal;
        }
        throw new InterruptedException("case " + id + " interrupted");
      }
      CaseFailure failure = failureOf(input, id, error);
      out.get(failedTag).output(failure);
      failed.inc();
      // On the driver's terminal with the Direct runner, in the worker's log on a cluster.
      System.err.println(stage + ": " + id + " FAILED: " + failure.cause());
      if (error instanceof VirtualMachineError) {
        work.teardown();
        work.setup();
      }
    }

    private CaseFailure failureOf(I input, String id, Throwable error) {
      try {
        return CaseFailure.of(id, caseFile.apply(input), error);
      } catch (RuntimeException | OutOfMemoryError e) {
        // Describing the error failed too (a case file function that throws, memory still short).
        return new CaseFailure(id, null, error.getClass().getSimpleName(), error.getClass().getName(), null);
      }
    }

    /** The runner cancels a task by interrupting its thread; that ends the task, not the case. */
    private static boolean isInterrupt(Throwable error) {
      if (Thread.currentThread().isInterrupted()) {
        return true;
      }
      for (Throwable e : CaseFailure.chain(error)) {
        if (e instanceof InterruptedException || e instanceof ClosedByInterruptException
            || (e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException))) {
          return true;
        }
      }
      return false;
    }

    @Teardown
    public void teardown() throws Exception {
      work.teardown();
    }
  }
}

package org.isles.pipelines;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.isles.dataset.CaseInputException;
import org.isles.io.Json;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@link PerCase} on the Direct runner (Beam's TestPipeline is a JUnit 4 rule): successes and
 * dead letters, Errors costing only their case, the counters, and failures.json.
 */
public class PerCaseTest {
  private static final String STAGE = "square";

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder folder = new TemporaryFolder();

  /**
   * Squares a number, except: 3's input file is broken, 5 runs out of memory for real (asks for
   * 16 GB), 7 overflows the stack, 9 throws an exception without a message.
   */
  private static final class Square implements CaseWork<Integer, Integer> {
    @Override
    public Integer process(Integer n) {
      return switch (n) {
        case 3 -> throw new CaseInputException("/data/three.nii.gz", "truncated: 10 of 20 bytes");
        case 5 -> new long[Integer.MAX_VALUE - 8].length;
        case 7 -> recurse(n);
        case 9 -> throw new IllegalStateException();
        default -> n * n;
      };
    }

    private static int recurse(int n) {
      return recurse(n + 1) + 1;
    }
  }

  private static String fileOf(Integer n) {
    return "/data/case" + n + ".nii.gz";
  }

  @Test
  public void everyFailureKindCostsOnlyItsCaseAndIsCounted() throws Exception {
    assumeTrue("case 5 must exceed the heap", Runtime.getRuntime().maxMemory() < 16L << 30);
    Path failuresJson = folder.getRoot().toPath().resolve("failures.json");
    WithFailures.Result<PCollection<Integer>, CaseFailure> result =
        pipeline
            .apply(Create.of(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)).withCoder(VarIntCoder.of()))
            .apply(PerCase.of(STAGE, new Square()).identifiedBy(n -> "case" + n, PerCaseTest::fileOf)
                .withOutputCoder(VarIntCoder.of()));
    PAssert.that(result.output()).containsInAnyOrder(1, 4, 16, 36, 64, 100);
    PAssert.that(result.failures().apply(MapElements.into(TypeDescriptors.strings())
            .via(f -> f.caseId() + " | " + f.file() + " | " + f.exception() + " | " + f.cause())))
        .containsInAnyOrder(
            "case3 | /data/three.nii.gz | org.isles.dataset.CaseInputException | truncated: 10 of 20 bytes (/data/three.nii.gz)",
            "case5 | /data/case5.nii.gz | java.lang.OutOfMemoryError | OutOfMemoryError: Java heap space",
            "case7 | /data/case7.nii.gz | java.lang.StackOverflowError | StackOverflowError",
            "case9 | /data/case9.nii.gz | java.lang.IllegalStateException | IllegalStateException");
    result.failures().apply(new WriteFailures(failuresJson));

    PipelineResult run = pipeline.run();
    run.waitUntilFinish();

    assertEquals(6, counter(run, StageRun.DONE));
    assertEquals(4, counter(run, StageRun.FAILED));
    List<?> failures = Json.read(failuresJson, List.class);
    assertEquals(4, failures.size());
    Map<?, ?> outOfMemory = (Map<?, ?>) failures.get(1);
    assertEquals("case5", outOfMemory.get("case_id"));
    assertEquals("/data/case5.nii.gz", outOfMemory.get("file"));
    assertEquals("OutOfMemoryError: Java heap space", outOfMemory.get("cause"));
    assertEquals("java.lang.OutOfMemoryError", outOfMemory.get("exception"));
    // HotSpot fills in the trace of its first few OutOfMemoryErrors only; later ones come without frames.
    assertTrue(outOfMemory.get("stack_trace").toString().startsWith("java.lang.OutOfMemoryError: Java heap space"));
    String brokenFileTrace = ((Map<?, ?>) failures.get(0)).get("stack_trace").toString();
    assertTrue(brokenFileTrace, brokenFileTrace.startsWith(
        "org.isles.dataset.CaseInputException: truncated: 10 of 20 bytes (/data/three.nii.gz)\n\tat org.isles.pipelines.PerCaseTest$Square.process"));
    assertTrue("the trace stops at the transform, above the runner's frames: " + brokenFileTrace,
        brokenFileTrace.lines().reduce((first, second) -> second).orElseThrow().contains("PerCase$PerCaseFn.process"));
    String overflow = ((Map<?, ?>) failures.get(2)).get("stack_trace").toString();
    assertEquals("a stack overflow's trace is cut to its first lines", CaseFailure.MAX_TRACE_LINES + 1, overflow.lines().count());
    assertTrue(overflow, overflow.lines().skip(1).limit(CaseFailure.MAX_TRACE_LINES - 1).allMatch(l -> l.contains("recurse")));
  }

  /** An interrupted case is the runner cancelling the task: it fails the pipeline, not the case. */
  @Test
  public void anInterruptEndsTheRunInsteadOfFailingTheCase() {
    pipeline
        .apply(Create.of(List.of(1, 2)).withCoder(VarIntCoder.of()))
        .apply(PerCase.of(STAGE, (CaseWork<Integer, Integer>) n -> {
              if (n == 2) {
                throw new InterruptedException("cancelled");
              }
              return n;
            })
            .identifiedBy(n -> "case" + n, n -> null)
            .withOutputCoder(VarIntCoder.of()));
    Pipeline.PipelineExecutionException e = assertThrows(Pipeline.PipelineExecutionException.class, pipeline::run);
    assertTrue(String.valueOf(e.getCause()), e.getCause() instanceof InterruptedException);
  }

  private static long counter(PipelineResult run, String name) {
    MetricQueryResults metrics =
        run.metrics().queryMetrics(MetricsFilter.builder().addNameFilter(MetricNameFilter.named(STAGE, name)).build());
    long total = 0;
    for (MetricResult<Long> counter : metrics.getCounters()) {
      total += counter.getCommitted();
    }
    return total;
  }
}

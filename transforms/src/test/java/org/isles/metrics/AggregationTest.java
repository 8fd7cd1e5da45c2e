package org.isles.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AggregationTest {
  @Test
  void meanAndSampleStdLeaveOutAndCountUndefinedValues() {
    SummaryStatistic statistic = SummaryStatistic.of(new double[] {1, 2, Double.NaN, 4});
    assertEquals(7.0 / 3, statistic.mean(), 1e-15);
    assertEquals(Math.sqrt(7.0 / 3), statistic.std(), 1e-15);
    assertEquals(3, statistic.count());
    assertEquals(1, statistic.excluded());
  }

  @Test
  void fewerThanTwoValuesHaveNoStd() {
    assertTrue(Double.isNaN(SummaryStatistic.of(new double[] {5}).std()));
    SummaryStatistic none = SummaryStatistic.of(new double[] {Double.NaN});
    assertTrue(Double.isNaN(none.mean()));
    assertEquals(1, none.excluded());
  }

  @Test
  void statisticOverCasesReadsTheMetric() {
    CaseMetrics perfect = new CaseMetrics(0.5, 0.001, new ConfusionCounts(4, 0, 0), 1, 1,
        new ConfusionCounts(1, 0, 0), new BoundaryDistances(0, 0, 0));
    CaseMetrics missed = new CaseMetrics(0.5, 0.001, new ConfusionCounts(0, 0, 4), 1, 0,
        new ConfusionCounts(0, 0, 1), BoundaryDistances.UNDEFINED);
    List<CaseMetrics> cases = List.of(perfect, missed);
    assertEquals(new SummaryStatistic(0.5, Math.sqrt(0.5), 2, 0), SummaryStatistic.over(cases, CaseMetrics::dice));
    assertEquals(1, SummaryStatistic.over(cases, m -> m.boundary().assdMm()).excluded());
  }

  @Test
  void microCountsSumOverCases() {
    ConfusionCounts total = ConfusionCounts.sum(List.of(new ConfusionCounts(1, 2, 3), new ConfusionCounts(3, 0, 1)));
    assertEquals(new ConfusionCounts(4, 2, 4), total);
    assertEquals(4.0 / 6, total.precision(), 1e-15);
    assertEquals(4.0 / 8, total.recall(), 1e-15);
    assertEquals(4.0 / 7, total.f1(), 1e-15);
    assertEquals(1.0, ConfusionCounts.ZERO.f1());
    assertTrue(Double.isNaN(ConfusionCounts.ZERO.precision()));
  }
}

package org.isles.metrics;

import java.util.Collection;
import java.util.function.ToDoubleFunction;

/**
 * Mean and sample standard deviation (ddof = 1) of one metric over cases. NaN values (undefined
 * metrics, see {@link CaseMetrics#UNDEFINED_DISTANCE_RULE}) are left out and counted in
 * {@code excluded}. With no values the mean is NaN; with fewer than two the std is NaN.
 */
public record SummaryStatistic(double mean, double std, int count, int excluded) {

  public static <T> SummaryStatistic over(Collection<T> cases, ToDoubleFunction<? super T> metric) {
    return of(cases.stream().mapToDouble(metric).toArray());
  }

  public static SummaryStatistic of(double[] values) {
    int count = 0;
    double sum = 0;
    for (double value : values) {
      if (!Double.isNaN(value)) {
        count++;
        sum += value;
      }
    }
    double mean = count == 0 ? Double.NaN : sum / count;
    double squares = 0;
    for (double value : values) {
      if (!Double.isNaN(value)) {
        squares += (value - mean) * (value - mean);
      }
    }
    double std = count < 2 ? Double.NaN : Math.sqrt(squares / (count - 1));
    return new SummaryStatistic(mean, std, count, values.length - count);
  }
}

package org.isles.split;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrossValidationSplitTest {
  /** 50 cases: thin and thick slices crossed with four lesion sizes, in uneven numbers. */
  private static List<SplitCase> cases() {
    double[] volumes = {0, 0.4, 4, 40};
    List<SplitCase> cases = new ArrayList<>();
    for (int n = 0; n < 50; n++) {
      double thickness = n % 5 == 0 ? 5.0 : 2.0;
      cases.add(new SplitCase(String.format("sub-strokecase%04d", n), thickness, volumes[(n * 7) % 4]));
    }
    return cases;
  }

  @Test
  void testAndFoldsAreDisjointAndCoverEveryCase() {
    CrossValidationSplit split = CrossValidationSplit.of(cases(), 5, 0.2, 42);
    assertEquals(10, split.test().size());
    Set<String> seen = new HashSet<>(split.test());
    for (CrossValidationSplit.Fold fold : split.folds()) {
      for (String id : fold.val()) {
        assertTrue(seen.add(id), id + " is in two validation sets or in test and validation");
      }
      Set<String> train = new HashSet<>(fold.train());
      assertEquals(40 - fold.val().size(), train.size());
      fold.val().forEach(id -> assertTrue(!train.contains(id), id + " trains and validates in fold " + fold.fold()));
      split.test().forEach(id -> assertTrue(!train.contains(id), id + " is a test case trained on in fold " + fold.fold()));
    }
    assertEquals(cases().stream().map(SplitCase::caseId).collect(Collectors.toSet()), seen);
  }

  @Test
  void everyStratumIsSpreadEvenlyOverTestAndFolds() {
    List<SplitCase> cases = cases();
    CrossValidationSplit split = CrossValidationSplit.of(cases, 5, 0.2, 42);
    Map<String, String> stratumOf = cases.stream().collect(Collectors.toMap(SplitCase::caseId, SplitCase::stratum));
    Map<String, Long> total = cases.stream().collect(Collectors.groupingBy(SplitCase::stratum, Collectors.counting()));
    assertEquals(8, total.size(), "the fixture covers every stratum");
    Map<String, Long> inTest = split.test().stream().collect(Collectors.groupingBy(stratumOf::get, Collectors.counting()));
    for (Map.Entry<String, Long> stratum : total.entrySet()) {
      double share = 0.2 * stratum.getValue();
      long got = inTest.getOrDefault(stratum.getKey(), 0L);
      assertTrue(Math.abs(got - share) < 1.0 + 1e-9, stratum.getKey() + ": " + got + " test cases, share " + share);
    }
    for (String stratum : total.keySet()) {
      List<Long> perFold = new ArrayList<>();
      for (CrossValidationSplit.Fold fold : split.folds()) {
        perFold.add(fold.val().stream().filter(id -> stratumOf.get(id).equals(stratum)).count());
      }
      long spread = perFold.stream().mapToLong(Long::longValue).max().getAsLong()
          - perFold.stream().mapToLong(Long::longValue).min().getAsLong();
      assertTrue(spread <= 1, stratum + " per fold " + perFold);
    }
    List<Integer> sizes = split.folds().stream().map(f -> f.val().size()).toList();
    assertEquals(List.of(8, 8, 8, 8, 8), sizes);
  }

  @Test
  void theSameSeedGivesTheSameSplitAndAnotherSeedAnother() {
    List<SplitCase> shuffled = new ArrayList<>(cases());
    java.util.Collections.reverse(shuffled);
    assertEquals(CrossValidationSplit.of(cases(), 5, 0.2, 42), CrossValidationSplit.of(shuffled, 5, 0.2, 42));
    assertNotEquals(CrossValidationSplit.of(cases(), 5, 0.2, 42).test(), CrossValidationSplit.of(cases(), 5, 0.2, 43).test());
  }

  @Test
  void strataFollowTheThreeMillimetreAndLesionSizeBuckets() {
    Function<SplitCase, String> stratum = SplitCase::stratum;
    assertEquals("thin/none", stratum.apply(new SplitCase("a", 2.99, 0)));
    assertEquals("thick/<1mL", stratum.apply(new SplitCase("a", 3.0, 0.99)));
    assertEquals("thick/1-10mL", stratum.apply(new SplitCase("a", 6.5, 1.0)));
    assertEquals("thin/>=10mL", stratum.apply(new SplitCase("a", 1.0, 10.0)));
  }

  @Test
  void jsonRoundTripKeepsTheSplit(@TempDir Path dir) {
    CrossValidationSplit split = CrossValidationSplit.of(cases(), 3, 0.1, 7);
    split.write(dir.resolve("splits.json"));
    assertEquals(split, CrossValidationSplit.read(dir.resolve("splits.json")));
  }

  @Test
  void tooFewCasesForTheFoldsIsAnError() {
    List<SplitCase> four = cases().subList(0, 4);
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> CrossValidationSplit.of(four, 5, 0.2, 1));
    assertTrue(error.getMessage().contains("fewer than 5"), error.getMessage());
  }
}

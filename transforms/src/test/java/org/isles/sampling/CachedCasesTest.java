package org.isles.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CachedCasesTest {
  private final List<String> loaded = new ArrayList<>();

  private TrainingCase load(String id) {
    loaded.add(id);
    return SyntheticCases.noise(id, 4, 4, 4, 1, id.hashCode());
  }

  @Test
  void keepsTheMostRecentlyUsedCasesUpToItsCapacity() {
    CachedCases cases = new CachedCases(List.of("a", "b", "c"), this::load, 2);
    assertEquals(3, cases.size());
    assertEquals(0, cases.loads(), "nothing is read before it is needed");

    TrainingCase a = cases.get(0);
    cases.get(1);
    assertSame(a, cases.get(0), "a cached case is not read again");
    cases.get(2);  // evicts b, the least recently used
    cases.get(0);
    cases.get(1);

    assertEquals(List.of("a", "b", "c", "b"), loaded);
    assertEquals(4, cases.loads());
    assertEquals(2, cases.cached());
    assertEquals("c", cases.get(2).id());
  }

  @Test
  void rejectsALoaderThatReturnsAnotherCaseAndAZeroCapacity() {
    CachedCases wrong = new CachedCases(List.of("a"), id -> SyntheticCases.noise("z", 4, 4, 4, 1, 0), 1);
    assertTrue(assertThrows(IllegalStateException.class, () -> wrong.get(0)).getMessage().contains("case a returned case z"));
    assertThrows(IllegalArgumentException.class, () -> new CachedCases(List.of("a"), this::load, 0));
  }
}

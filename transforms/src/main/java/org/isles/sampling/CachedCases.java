package org.isles.sampling;

import java.util.AbstractList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Training cases read from disk when a sample first needs them and kept in memory up to a
 * capacity, the least recently used dropped first: a job over a 1 mm dataset need not hold every
 * case (about 70 MB each) at once. Same order and contents as a list of the loaded cases, so a
 * run samples exactly what it would with every case in memory.
 *
 * <p>Thread-safe: the patch loader's threads and the trainer's validation share one instance.
 * Loads happen under the lock, one at a time, which suits the usual one or two loader threads.
 */
public final class CachedCases extends AbstractList<TrainingCase> {
  private final List<String> ids;
  private final Function<String, TrainingCase> loader;
  private final int capacity;
  private final Map<Integer, TrainingCase> cache;
  private int loads;

  /**
   * @param ids the cases in list order
   * @param loader reads one case by id (and names the file in any error it throws)
   * @param capacity how many cases stay in memory, at least 1
   */
  public CachedCases(List<String> ids, Function<String, TrainingCase> loader, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("case cache capacity must be at least 1, got " + capacity);
    }
    this.ids = List.copyOf(ids);
    this.loader = loader;
    this.capacity = capacity;
    this.cache = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Integer, TrainingCase> eldest) {
        return size() > CachedCases.this.capacity;
      }
    };
  }

  @Override
  public synchronized TrainingCase get(int index) {
    TrainingCase cached = cache.get(index);
    if (cached != null) {
      return cached;
    }
    String id = ids.get(index);
    TrainingCase loaded = loader.apply(id);
    if (!loaded.id().equals(id)) {
      throw new IllegalStateException("loading case " + id + " returned case " + loaded.id());
    }
    loads++;
    cache.put(index, loaded);
    return loaded;
  }

  @Override
  public int size() {
    return ids.size();
  }

  /** How many times a case was read from disk so far. */
  public synchronized int loads() {
    return loads;
  }

  /** How many cases are in memory now. */
  public synchronized int cached() {
    return cache.size();
  }
}

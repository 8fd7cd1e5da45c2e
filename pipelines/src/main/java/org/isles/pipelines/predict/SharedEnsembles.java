package org.isles.pipelines.predict;

import ai.djl.pytorch.jni.JniUtils;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.isles.model.OfflinePyTorch;
import org.isles.model.inference.ModelEnsemble;
import org.isles.model.inference.Precision;
import org.isles.model.run.TrainedRun;

/**
 * One loaded ensemble per run and model list per JVM (scio's DoFnWithResource idea): a worker runs
 * several DoFn instances on threads, and loading the models once per instance would multiply both
 * the start-up time and the memory. Instances acquire in {@code @Setup} and release in
 * {@code @Teardown}; the last release frees the models, so a later pipeline in the same JVM reads
 * the run afresh.
 */
final class SharedEnsembles {
  private record Key(String runDir, List<String> modelIds, Precision precision) {}

  private static final class Shared {
    final ModelEnsemble ensemble;
    int users;

    Shared(ModelEnsemble ensemble) {
      this.ensemble = ensemble;
    }
  }

  private static final Map<Key, Shared> BY_KEY = new HashMap<>();
  private static final Map<ModelEnsemble, Key> KEYS = new IdentityHashMap<>();

  private SharedEnsembles() {}

  /** The ensemble of {@code settings}' models, loaded on first use; torch uses {@code torchThreads} from then on. */
  static synchronized ModelEnsemble acquire(TrainedRun run, PredictionSettings settings) {
    Key key = new Key(settings.runDir(), settings.modelIds(), settings.precision().resolved());
    Shared shared = BY_KEY.get(key);
    if (shared == null) {
      OfflinePyTorch.engine();
      JniUtils.setNumThreads(settings.torchThreads());
      shared = new Shared(ModelEnsemble.load(run, settings.modelIds(), key.precision()));
      BY_KEY.put(key, shared);
      KEYS.put(shared.ensemble, key);
    }
    shared.users++;
    return shared.ensemble;
  }

  static synchronized void release(ModelEnsemble ensemble) {
    Key key = KEYS.get(ensemble);
    if (key == null) {
      return;
    }
    Shared shared = BY_KEY.get(key);
    if (--shared.users == 0) {
      BY_KEY.remove(key);
      KEYS.remove(ensemble);
      ensemble.close();
    }
  }
}

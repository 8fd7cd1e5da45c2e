package org.isles.pipelines.train;

import java.io.Serializable;
import org.isles.model.training.TrainingConfig;

/**
 * What every training job of a run shares; paths are strings so workers on other machines
 * resolve them on their own (shared) file system.
 *
 * @param configFile the YAML the config was read from, copied into every job directory
 * @param resume continue each job from its last checkpoint when it has one
 * @param initFrom parameters to start from (file or checkpoint directory), or null
 * @param cachedCases how many cases a job keeps in memory, reading the others when a sample needs
 *     them; 0 keeps every case of the job in memory
 */
public record TrainingSettings(TrainingConfig config, String configFile, String processedDir, String splitsFile,
    String runDir, boolean resume, String initFrom, int cachedCases) implements Serializable {
  public TrainingSettings {
    if (cachedCases < 0) {
      throw new IllegalArgumentException("cached cases must be >= 0 (0: all in memory), got " + cachedCases);
    }
  }
}

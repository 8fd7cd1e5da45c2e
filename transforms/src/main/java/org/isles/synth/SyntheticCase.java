package org.isles.synth;

import java.util.List;
import java.util.Map;
import org.isles.dataset.Modality;
import org.isles.volume.Volume;

/**
 * One generated case in memory: its four images (values exactly as a reader will get them back
 * from the files), how each is stored, and the lesions that were planned.
 */
public record SyntheticCase(
    String caseId, Map<Modality, Volume> images, Map<Modality, ImageEncoding> encodings, List<PlannedLesion> lesions) {
  public SyntheticCase {
    images = Map.copyOf(images);
    encodings = Map.copyOf(encodings);
    lesions = List.copyOf(lesions);
    for (Modality modality : Modality.values()) {
      if (!images.containsKey(modality) || !encodings.containsKey(modality)) {
        throw new IllegalArgumentException("synthetic case " + caseId + " has no " + modality.label() + " image");
      }
    }
  }

  public Volume image(Modality modality) {
    return images.get(modality);
  }

  public ImageEncoding encoding(Modality modality) {
    return encodings.get(modality);
  }
}

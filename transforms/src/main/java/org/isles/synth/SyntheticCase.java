package org.isles.synth;

import java.util.List;
import java.util.Map;
import org.isles.dataset.Modality;
import org.isles.volume.Volume;

/**
 * One generated case in memory: its four images (values exactly as a reader will get them back
 * from the files), how each is stored, the acute lesions that were planned (labelled in the
 * mask) and the unlabelled mimics.
 */
public record SyntheticCase(
    String caseId,
    Map<Modality, Volume> images,
    Map<Modality, ImageEncoding> encodings,
    List<PlannedLesion> lesions,
    List<PlannedLesion> mimics) {
  public SyntheticCase {
    images = Map.copyOf(images);
    encodings = Map.copyOf(encodings);
    lesions = List.copyOf(lesions);
    mimics = List.copyOf(mimics);
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

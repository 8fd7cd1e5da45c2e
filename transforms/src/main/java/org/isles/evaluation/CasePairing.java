package org.isles.evaluation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.isles.dataset.BidsLayout;
import org.isles.dataset.CaseDiscovery;
import org.isles.schemas.CaseRecord;

/**
 * Matches ground-truth masks with probability maps {@code <case_id>.nii.gz} by case id. The ground
 * truth is an ISLES 2022 root (its derivatives masks, found by {@link CaseDiscovery}) or a folder
 * of {@code <case_id>.nii.gz} masks.
 *
 * @param pairs one per ground-truth case, sorted by case id; a missing prediction has a null path
 * @param missingPredictions ground-truth cases without a prediction, scored as empty predictions
 * @param unmatchedPredictions predictions without a ground truth, which are not scored
 * @param unusableGroundTruth case id to the reason its ground truth cannot be used
 */
public record CasePairing(
    List<CasePair> pairs,
    List<String> missingPredictions,
    List<String> unmatchedPredictions,
    Map<String, String> unusableGroundTruth) {
  private static final String[] NIFTI_SUFFIXES = {".nii.gz", ".nii"};

  public static CasePairing of(Path probsDir, Path groundTruth) {
    if (!Files.isDirectory(probsDir)) {
      throw new IllegalArgumentException("predictions folder " + probsDir + " is not a directory");
    }
    Map<String, String> unusable = new TreeMap<>();
    Map<String, String> brains = new TreeMap<>();
    Map<String, Path> truths = isIslesRoot(groundTruth) ? islesMasks(groundTruth, unusable, brains) : niftiByCaseId(groundTruth);
    Map<String, Path> predictions = niftiByCaseId(probsDir);
    List<CasePair> pairs = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    truths.forEach(
        (caseId, truth) -> {
          Path prediction = predictions.get(caseId);
          if (prediction == null) {
            missing.add(caseId);
          }
          pairs.add(new CasePair(caseId, truth.toString(), prediction == null ? null : prediction.toString(), brains.get(caseId)));
        });
    List<String> unmatched =
        predictions.keySet().stream().filter(id -> !truths.containsKey(id) && !unusable.containsKey(id)).toList();
    return new CasePairing(pairs, missing, unmatched, unusable);
  }

  /** Only the given cases, e.g. a run's held-out test set; a case without ground truth is an error. */
  public CasePairing restrictedTo(List<String> caseIds) {
    java.util.Set<String> wanted = new java.util.TreeSet<>(caseIds);
    List<String> known = pairs.stream().map(CasePair::caseId).toList();
    List<String> unknown = wanted.stream().filter(id -> !known.contains(id)).toList();
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(unknown.size() + " selected cases have no usable ground truth: " + unknown);
    }
    return new CasePairing(
        pairs.stream().filter(pair -> wanted.contains(pair.caseId())).toList(),
        missingPredictions.stream().filter(wanted::contains).toList(),
        unmatchedPredictions,
        unusableGroundTruth);
  }

  private static boolean isIslesRoot(Path groundTruth) {
    return Files.isDirectory(groundTruth.resolve(BidsLayout.RAWDATA)) || Files.isDirectory(groundTruth.resolve(BidsLayout.DERIVATIVES));
  }

  private static Map<String, Path> islesMasks(Path root, Map<String, String> unusable, Map<String, String> brains) {
    Map<String, Path> masks = new TreeMap<>();
    for (CaseRecord record : CaseDiscovery.discover(root)) {
      if (record.getMaskPath() != null) {
        masks.put(record.getCaseId(), Path.of(record.getMaskPath()));
        if (record.getDwiPath() != null) {
          brains.put(record.getCaseId(), record.getDwiPath());
        }
      } else {
        unusable.put(record.getCaseId(), "no ground-truth mask: " + record.getInvalidReason());
      }
    }
    return masks;
  }

  /** Case id (the file name without its NIfTI suffix) to file, for the NIfTI files directly in a folder. */
  private static Map<String, Path> niftiByCaseId(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(dir + " is neither an ISLES 2022 root nor a folder of <case_id>.nii.gz files");
    }
    Map<String, Path> files = new TreeMap<>();
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path file : entries.filter(Files::isRegularFile).sorted().toList()) {
        String name = file.getFileName().toString();
        for (String suffix : NIFTI_SUFFIXES) {
          if (name.endsWith(suffix)) {
            String caseId = name.substring(0, name.length() - suffix.length());
            Path previous = files.put(caseId, file);
            if (previous != null) {
              throw new IllegalArgumentException("two files for case " + caseId + ": " + previous + " and " + file);
            }
            break;
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    return files;
  }
}

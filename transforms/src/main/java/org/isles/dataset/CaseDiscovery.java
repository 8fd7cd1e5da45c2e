package org.isles.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.isles.nifti.Nifti;
import org.isles.nifti.NiftiException;
import org.isles.nifti.NiftiHeader;
import org.isles.schemas.CaseRecord;
import org.isles.volume.Grid;

/**
 * Finds the cases of an ISLES 2022 dataset root. Each {@code sub-*} folder under
 * {@code rawdata/} or {@code derivatives/} is one case (a root holding only derivatives, masks
 * to score against, gives cases that have a mask but are invalid for training). Images are looked for anywhere in the
 * subject's rawdata folder (so both the BIDS layout with {@code dwi/} and {@code anat/} and the
 * older flat {@code ses-0001/} layout work), the mask in its derivatives folder, then in rawdata.
 * Suffixes match case-insensitively ({@code _adc}, {@code _ADC}), as {@code .nii} or
 * {@code .nii.gz}.
 *
 * <p>A case missing DWI, ADC or mask, with two candidates for one image, with an unreadable
 * header, or whose ADC or mask grid differs from the DWI grid, is listed as invalid with the
 * reason; discovery goes on with the others. Only headers are read.
 */
public final class CaseDiscovery {
  /** Subject folder, session folder, modality folder: where BIDS puts images below a subject. */
  private static final int MAX_DEPTH = 3;
  /** How far (mm) ADC and mask affines may stray from the DWI's: float32 header rounding and no more. */
  private static final double GRID_TOLERANCE_MM = 1e-3;

  private CaseDiscovery() {}

  /** Every case under {@code root}, sorted by case id. */
  public static List<CaseRecord> discover(Path root) {
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException("dataset root " + root + " is not a directory");
    }
    Path rawdata = root.resolve(BidsLayout.RAWDATA);
    Path derivatives = root.resolve(BidsLayout.DERIVATIVES);
    if (!Files.isDirectory(rawdata) && !Files.isDirectory(derivatives)) {
      throw new IllegalArgumentException("dataset root " + root + " has neither " + BidsLayout.RAWDATA + "/ nor "
          + BidsLayout.DERIVATIVES + "/; expected the ISLES 2022 layout " + BidsLayout.RAWDATA + "/sub-*/ses-0001/...");
    }
    TreeSet<String> subjects = new TreeSet<>(subjectFolders(rawdata));
    subjects.addAll(subjectFolders(derivatives));
    List<CaseRecord> cases = new ArrayList<>();
    for (String subject : subjects) {
      cases.add(discoverCase(subject, rawdata.resolve(subject), derivatives.resolve(subject)));
    }
    return cases;
  }

  private static CaseRecord discoverCase(String caseId, Path rawSubject, Path derivedSubject) {
    List<Path> rawFiles = niftiFiles(rawSubject);
    List<Path> derivedFiles = niftiFiles(derivedSubject);
    Map<Modality, Path> found = new EnumMap<>(Modality.class);
    List<String> problems = new ArrayList<>();
    for (Modality modality : Modality.values()) {
      // masks belong in derivatives; older exports keep them beside the images
      boolean derived = modality == Modality.MASK && (!matching(derivedFiles, modality).isEmpty() || matching(rawFiles, modality).isEmpty());
      Path searched = derived ? derivedSubject : rawSubject;
      List<Path> candidates = matching(derived ? derivedFiles : rawFiles, modality);
      if (candidates.size() > 1) {
        problems.add("ambiguous " + modality.label() + ": " + candidates.size() + " files match " + pattern(modality)
            + " in " + searched + ": " + candidates.stream().map(p -> p.getFileName().toString()).collect(Collectors.joining(", ")));
      } else if (candidates.size() == 1) {
        found.put(modality, candidates.get(0));
      } else if (modality.required()) {
        problems.add("missing " + modality.label() + ": no file matching " + pattern(modality) + " in " + searched);
      }
    }
    CaseRecord.Builder record = CaseRecord.newBuilder()
        .setCaseId(caseId)
        .setDwiPath(pathString(found.get(Modality.DWI)))
        .setAdcPath(pathString(found.get(Modality.ADC)))
        .setFlairPath(pathString(found.get(Modality.FLAIR)))
        .setMaskPath(pathString(found.get(Modality.MASK)));
    if (found.containsKey(Modality.DWI)) {
      readGeometry(found, record, problems);
    }
    if (!problems.isEmpty()) {
      record.setValid(false).setInvalidReason(String.join("; ", problems));
    }
    return record.build();
  }

  /** Sets shape, spacing and orientation from the DWI header; ADC and mask must be on the same grid. */
  private static void readGeometry(Map<Modality, Path> found, CaseRecord.Builder record, List<String> problems) {
    try {
      Grid dwi = Nifti.readHeader(found.get(Modality.DWI)).grid();
      double[] spacing = dwi.spacing();
      // the header holds float32 affines: digits beyond float precision are rounding noise
      record.setShape(List.of(dwi.nx(), dwi.ny(), dwi.nz()))
          .setSpacing(List.of((double) (float) spacing[0], (double) (float) spacing[1], (double) (float) spacing[2]))
          .setOrientation(dwi.orientation());
      for (Modality onDwiGrid : List.of(Modality.ADC, Modality.MASK)) {
        if (found.containsKey(onDwiGrid)) {
          Grid other = Nifti.readHeader(found.get(onDwiGrid)).grid();
          if (!other.sameGrid(dwi, GRID_TOLERANCE_MM)) {
            problems.add(onDwiGrid.label() + " grid " + describe(other) + " differs from DWI grid " + describe(dwi));
          }
        }
      }
    } catch (NiftiException e) {
      problems.add("unreadable header: " + e.getMessage());
    }
  }

  private static String describe(Grid grid) {
    double[] s = grid.spacing();
    return String.format("%dx%dx%d %s %.3gx%.3gx%.3g mm", grid.nx(), grid.ny(), grid.nz(), grid.orientation(), s[0], s[1], s[2]);
  }

  private static List<String> subjectFolders(Path parent) {
    if (!Files.isDirectory(parent)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(parent)) {
      return children.filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .filter(name -> name.startsWith("sub-"))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + parent + ": " + e.getMessage(), e);
    }
  }

  private static List<Path> niftiFiles(Path subject) {
    if (!Files.isDirectory(subject)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(subject, MAX_DEPTH)) {
      return files.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + subject + ": " + e.getMessage(), e);
    }
  }

  private static List<Path> matching(List<Path> files, Modality modality) {
    Pattern name = Pattern.compile(".*_" + modality.suffix() + "\\.nii(\\.gz)?", Pattern.CASE_INSENSITIVE);
    return files.stream().filter(file -> name.matcher(file.getFileName().toString()).matches()).toList();
  }

  private static String pattern(Modality modality) {
    return "*_" + modality.suffix().toLowerCase() + ".nii[.gz]";
  }

  private static String pathString(Path file) {
    return file == null ? null : file.toAbsolutePath().normalize().toString();
  }
}

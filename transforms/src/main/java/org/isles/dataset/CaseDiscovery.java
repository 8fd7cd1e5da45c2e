package org.isles.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
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
 * <p>A case missing DWI, ADC or mask, with two candidates for one image, with a subject folder
 * that cannot be listed, with a header that cannot be read or is refused, or whose ADC or mask
 * grid differs from the DWI grid, is listed as invalid with the reason; discovery goes on with
 * the others. Only headers are read.
 */
public final class CaseDiscovery {
  /** Subject folder, session folder, modality folder: where BIDS puts images below a subject. */
  private static final int MAX_DEPTH = 3;

  /** How the files below a subject folder are listed; tests inject failures through it. */
  @FunctionalInterface
  interface FolderListing {
    /** The regular files at most {@code maxDepth} levels below {@code folder}, sorted. */
    List<Path> regularFiles(Path folder, int maxDepth) throws IOException;
  }

  private static final FolderListing FILE_TREE = (folder, maxDepth) -> {
    try (Stream<Path> files = Files.walk(folder, maxDepth)) {
      return files.filter(Files::isRegularFile).sorted().toList();
    } catch (UncheckedIOException e) {
      // a sub-folder the walk cannot open surfaces while the stream is consumed
      throw e.getCause();
    }
  };

  private CaseDiscovery() {}

  /** Every case under {@code root}, sorted by case id. */
  public static List<CaseRecord> discover(Path root) {
    return discover(root, FILE_TREE);
  }

  static List<CaseRecord> discover(Path root, FolderListing listing) {
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
      cases.add(discoverCase(subject, rawdata.resolve(subject), derivatives.resolve(subject), listing));
    }
    return cases;
  }

  private static CaseRecord discoverCase(String caseId, Path rawSubject, Path derivedSubject, FolderListing listing) {
    List<String> problems = new ArrayList<>();
    List<Path> rawFiles = niftiFiles(rawSubject, listing, problems);
    List<Path> derivedFiles = niftiFiles(derivedSubject, listing, problems);
    if (!problems.isEmpty()) {
      // a folder that cannot be listed may hide any of the case's files: the case is unusable as it is
      return CaseRecord.newBuilder().setCaseId(caseId).setValid(false).setInvalidReason(String.join("; ", problems)).build();
    }
    Map<Modality, Path> found = new EnumMap<>(Modality.class);
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
    Grid dwi = grid(found.get(Modality.DWI), problems);
    if (dwi == null) {
      return;
    }
    double[] spacing = dwi.spacing();
    // the header holds float32 affines: digits beyond float precision are rounding noise
    record.setShape(List.of(dwi.nx(), dwi.ny(), dwi.nz()))
        .setSpacing(List.of((double) (float) spacing[0], (double) (float) spacing[1], (double) (float) spacing[2]))
        .setOrientation(dwi.orientation());
    for (Modality onDwiGrid : List.of(Modality.ADC, Modality.MASK)) {
      Grid other = found.containsKey(onDwiGrid) ? grid(found.get(onDwiGrid), problems) : null;
      if (other != null && !other.sameGrid(dwi, Grid.TOLERANCE_MM)) {
        problems.add(onDwiGrid.label() + " grid " + describe(other) + " differs from DWI grid " + describe(dwi));
      }
    }
  }

  /**
   * The grid of {@code file}'s header, or null with the problem noted: the reader's refusal
   * (bad sizes, undefined geometry, ...) or anything else that fails while the header is turned
   * into a grid, always on one line naming the file.
   */
  private static Grid grid(Path file, List<String> problems) {
    try {
      return Nifti.readHeader(file).grid();
    } catch (RuntimeException e) {
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().replace('\n', ' ');
      problems.add("unreadable header: " + (message.contains(file.toString()) ? message : file + ": " + message));
      return null;
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

  private static List<Path> niftiFiles(Path subject, FolderListing listing, List<String> problems) {
    if (!Files.isDirectory(subject)) {
      return List.of();
    }
    try {
      return listing.regularFiles(subject, MAX_DEPTH);
    } catch (IOException e) {
      problems.add("unreadable folder " + subject + ": " + describe(e));
      return List.of();
    }
  }

  /** e.g. "permission denied (/data/rawdata/sub-X/ses-0001)": Java's own message is only the path. */
  private static String describe(IOException e) {
    String what = e instanceof AccessDeniedException ? "permission denied" : e.getClass().getSimpleName();
    String detail = e instanceof FileSystemException f ? f.getFile() + (f.getReason() == null ? "" : ", " + f.getReason()) : e.getMessage();
    return detail == null ? what : what + " (" + detail + ")";
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

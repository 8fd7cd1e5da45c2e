package org.isles.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.isles.nifti.Nifti;
import org.isles.nifti.NiftiDatatype;
import org.isles.nifti.NiftiException;
import org.isles.schemas.CaseRecord;
import org.isles.synth.SyntheticDataset;
import org.isles.testing.PythonOracle;
import org.isles.volume.Grid;
import org.isles.volume.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaseDiscoveryTest {
  /** argv: DWI files. Per file one line: shape, voxel sizes and axis codes as nibabel gives them. */
  private static final String NIBABEL_GEOMETRY = String.join("\n",
      "import sys, json, nibabel as nib",
      "for f in sys.argv[1:]:",
      "    img = nib.load(f)",
      "    print(json.dumps({'shape': list(img.shape), 'zooms': [float(z) for z in img.header.get_zooms()],",
      "        'axcodes': ''.join(nib.aff2axcodes(img.affine))}))");

  /** A small LPS grid with thick slices, its first voxel somewhere in the world. */
  private static final Grid FLAT_GRID = new Grid(5, 6, 7, new double[] {
    -0.8, 0, 0, 40, 0, -0.8, 0, 30, 0, 0, 4.5, -20, 0, 0, 0, 1
  });

  @TempDir Path root;

  @Test
  void findsEveryBidsCaseWithItsDwiGeometryAsNibabelReadsIt() throws IOException {
    new SyntheticDataset(3, 0.3).write(root, 3, done -> {});
    List<CaseRecord> cases = CaseDiscovery.discover(root);

    assertEquals(List.of("sub-strokecase0001", "sub-strokecase0002", "sub-strokecase0003"),
        cases.stream().map(CaseRecord::getCaseId).toList());
    String[] dwiFiles = cases.stream().map(CaseRecord::getDwiPath).toArray(String[]::new);
    String[] geometry = PythonOracle.run(NIBABEL_GEOMETRY, dwiFiles).strip().split("\n");
    ObjectMapper json = new ObjectMapper();
    for (int n = 0; n < cases.size(); n++) {
      CaseRecord record = cases.get(n);
      String id = record.getCaseId();
      assertTrue(record.getValid(), record.toString());
      assertNull(record.getInvalidReason());
      assertEquals(path(BidsLayout.path(root, id, Modality.DWI)), record.getDwiPath());
      assertEquals(path(BidsLayout.path(root, id, Modality.ADC)), record.getAdcPath());
      assertEquals(path(BidsLayout.path(root, id, Modality.FLAIR)), record.getFlairPath());
      assertEquals(path(BidsLayout.path(root, id, Modality.MASK)), record.getMaskPath());
      JsonNode nibabel = json.readTree(geometry[n]);
      assertEquals(json.convertValue(nibabel.get("shape"), List.class), record.getShape(), id);
      for (int axis = 0; axis < 3; axis++) {
        assertEquals(nibabel.get("zooms").get(axis).asDouble(), record.getSpacing().get(axis), 1e-5, id);
      }
      assertEquals(nibabel.get("axcodes").asText(), record.getOrientation(), id);
    }
  }

  @Test
  void aCaseWithoutAdcIsInvalidWithTheReasonAndTheOthersStayValid() throws IOException {
    new SyntheticDataset(3, 0.3).write(root, 3, done -> {});
    Files.delete(BidsLayout.path(root, "sub-strokecase0002", Modality.ADC));

    Map<String, CaseRecord> cases = byId(CaseDiscovery.discover(root));

    assertTrue(cases.get("sub-strokecase0001").getValid());
    assertTrue(cases.get("sub-strokecase0003").getValid());
    CaseRecord broken = cases.get("sub-strokecase0002");
    assertFalse(broken.getValid());
    assertNull(broken.getAdcPath());
    assertEquals("missing ADC: no file matching *_adc.nii[.gz] in " + root.resolve("rawdata/sub-strokecase0002"),
        broken.getInvalidReason());
  }

  @Test
  void readsTheFlatLayoutWithAnyCaseOfSuffixAndBothExtensions() throws IOException {
    write("rawdata/sub-A/ses-0001/sub-A_ses-0001_dwi.nii", FLAT_GRID);
    write("rawdata/sub-A/ses-0001/sub-A_ses-0001_ADC.nii.gz", FLAT_GRID);
    write("rawdata/sub-A/ses-0001/sub-A_ses-0001_Flair.nii", FLAT_GRID);
    write("derivatives/sub-A/ses-0001/sub-A_ses-0001_MSK.nii.gz", FLAT_GRID);
    write("rawdata/sub-B/ses-0001/sub-B_ses-0001_dwi.nii.gz", FLAT_GRID);
    write("rawdata/sub-B/ses-0001/sub-B_ses-0001_adc.nii.gz", FLAT_GRID);
    write("rawdata/sub-B/ses-0001/sub-B_ses-0001_msk.nii.gz", FLAT_GRID);
    Files.writeString(root.resolve("rawdata/participants.tsv"), "participant_id\nsub-A\nsub-B\n");
    Files.writeString(root.resolve("rawdata/sub-A/ses-0001/sub-A_ses-0001_dwi.json"), "{}");

    Map<String, CaseRecord> cases = byId(CaseDiscovery.discover(root));

    assertEquals(List.of("sub-A", "sub-B"), List.copyOf(cases.keySet()));
    CaseRecord a = cases.get("sub-A");
    assertTrue(a.getValid(), a.toString());
    assertEquals(path(root.resolve("rawdata/sub-A/ses-0001/sub-A_ses-0001_dwi.nii")), a.getDwiPath());
    assertEquals(path(root.resolve("rawdata/sub-A/ses-0001/sub-A_ses-0001_ADC.nii.gz")), a.getAdcPath());
    assertEquals(path(root.resolve("rawdata/sub-A/ses-0001/sub-A_ses-0001_Flair.nii")), a.getFlairPath());
    assertEquals(path(root.resolve("derivatives/sub-A/ses-0001/sub-A_ses-0001_MSK.nii.gz")), a.getMaskPath());
    assertEquals(List.of(5, 6, 7), a.getShape());
    assertArrayEquals(new double[] {0.8, 0.8, 4.5}, a.getSpacing().stream().mapToDouble(Double::doubleValue).toArray(), 1e-6);
    assertEquals("LPS", a.getOrientation());
    CaseRecord b = cases.get("sub-B");
    assertTrue(b.getValid(), "a mask kept beside the images counts: " + b);
    assertEquals(path(root.resolve("rawdata/sub-B/ses-0001/sub-B_ses-0001_msk.nii.gz")), b.getMaskPath());
    assertNull(b.getFlairPath(), "FLAIR is optional");
  }

  @Test
  void reportsEveryProblemOfACaseInOneReason() throws IOException {
    write("rawdata/sub-C/ses-0001/sub-C_ses-0001_dwi.nii", FLAT_GRID);
    write("rawdata/sub-C/ses-0001/sub-C_ses-0001_dwi.nii.gz", FLAT_GRID);
    write("derivatives/sub-C/ses-0001/sub-C_ses-0001_msk.nii.gz", FLAT_GRID);
    write("rawdata/sub-D/ses-0001/dwi/sub-D_ses-0001_dwi.nii.gz", FLAT_GRID);
    write("rawdata/sub-D/ses-0001/dwi/sub-D_ses-0001_adc.nii.gz", Grid.axisAligned(5, 6, 8, 0.8, 0.8, 4.5));
    write("derivatives/sub-E/ses-0001/sub-E_ses-0001_msk.nii.gz", FLAT_GRID);

    Map<String, CaseRecord> cases = byId(CaseDiscovery.discover(root));

    assertEquals("ambiguous DWI: 2 files match *_dwi.nii[.gz] in " + root.resolve("rawdata/sub-C")
            + ": sub-C_ses-0001_dwi.nii, sub-C_ses-0001_dwi.nii.gz; missing ADC: no file matching *_adc.nii[.gz] in "
            + root.resolve("rawdata/sub-C"),
        cases.get("sub-C").getInvalidReason());
    assertEquals("missing mask: no file matching *_msk.nii[.gz] in " + root.resolve("derivatives/sub-D")
            + "; ADC grid 5x6x8 RAS 0.800x0.800x4.50 mm differs from DWI grid 5x6x7 LPS 0.800x0.800x4.50 mm",
        cases.get("sub-D").getInvalidReason());
    assertEquals("missing DWI: no file matching *_dwi.nii[.gz] in " + root.resolve("rawdata/sub-E")
            + "; missing ADC: no file matching *_adc.nii[.gz] in " + root.resolve("rawdata/sub-E"),
        cases.get("sub-E").getInvalidReason());
    assertTrue(cases.values().stream().noneMatch(CaseRecord::getValid));
  }

  @Test
  void aDwiThatIsNotNiftiMakesTheCaseInvalid() throws IOException {
    Path dwi = root.resolve("rawdata/sub-F/ses-0001/dwi/sub-F_ses-0001_dwi.nii");
    Files.createDirectories(dwi.getParent());
    Files.writeString(dwi, "not an image");
    write("rawdata/sub-F/ses-0001/dwi/sub-F_ses-0001_adc.nii", FLAT_GRID);
    write("derivatives/sub-F/ses-0001/sub-F_ses-0001_msk.nii", FLAT_GRID);

    CaseRecord record = CaseDiscovery.discover(root).get(0);

    assertFalse(record.getValid());
    assertTrue(record.getInvalidReason().startsWith("unreadable header: ") && record.getInvalidReason().contains(dwi.toString()),
        record.getInvalidReason());
    assertEquals(List.of(), record.getShape());
  }

  /**
   * The reproduction, with the failure injected where the walk meets it (tests run as
   * root, whom permission bits do not stop): one subject folder that cannot be listed costs that
   * case only, named with the folder and the cause.
   */
  @Test
  void aSubjectFolderThatCannotBeListedCostsOnlyItsCase() throws IOException {
    new SyntheticDataset(3, 0.3).write(root, 3, done -> {});
    Path locked = root.resolve("rawdata/sub-strokecase0002");
    CaseDiscovery.FolderListing denyingOne = (folder, depth) -> {
      if (folder.startsWith(locked)) {
        throw new AccessDeniedException(locked.resolve("ses-0001").toString());
      }
      return CaseDiscoveryTest.realListing(folder, depth);
    };

    Map<String, CaseRecord> cases = byId(CaseDiscovery.discover(root, denyingOne));

    assertEquals(List.of("sub-strokecase0001", "sub-strokecase0002", "sub-strokecase0003"), List.copyOf(cases.keySet()));
    assertTrue(cases.get("sub-strokecase0001").getValid());
    assertTrue(cases.get("sub-strokecase0003").getValid());
    CaseRecord denied = cases.get("sub-strokecase0002");
    assertFalse(denied.getValid());
    assertEquals("unreadable folder " + locked + ": permission denied (" + locked.resolve("ses-0001") + ")", denied.getInvalidReason());
    assertNull(denied.getDwiPath());
  }

  /** The same with real permissions, where the tests run as a user whom chmod 000 stops. */
  @Test
  void aSubjectFolderWithoutPermissionsCostsOnlyItsCase() throws IOException {
    new SyntheticDataset(3, 0.3).write(root, 2, done -> {});
    Path locked = root.resolve("rawdata/sub-strokecase0001/ses-0001");
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(locked);
    Files.setPosixFilePermissions(locked, Set.of());
    try {
      assumeFalse(Files.isReadable(locked), "permission bits do not stop this user (root)");
      Map<String, CaseRecord> cases = byId(CaseDiscovery.discover(root));
      assertFalse(cases.get("sub-strokecase0001").getValid());
      assertTrue(cases.get("sub-strokecase0001").getInvalidReason().startsWith("unreadable folder "
          + root.resolve("rawdata/sub-strokecase0001") + ": permission denied"), cases.get("sub-strokecase0001").getInvalidReason());
      assertTrue(cases.get("sub-strokecase0002").getValid());
    } finally {
      Files.setPosixFilePermissions(locked, permissions);
    }
  }

  @Test
  void aHeaderTheReaderRefusesMakesTheCaseInvalidNamingTheFile() throws IOException {
    write("rawdata/sub-G/ses-0001/dwi/sub-G_ses-0001_dwi.nii", FLAT_GRID);
    write("derivatives/sub-G/ses-0001/sub-G_ses-0001_msk.nii", FLAT_GRID);
    Path adc = root.resolve("rawdata/sub-G/ses-0001/dwi/sub-G_ses-0001_adc.nii");
    write("rawdata/sub-G/ses-0001/dwi/sub-G_ses-0001_adc.nii", FLAT_GRID);
    patchShort(adc, DIM_1, (short) 0);

    CaseRecord record = CaseDiscovery.discover(root).get(0);

    assertFalse(record.getValid());
    assertTrue(record.getInvalidReason().startsWith("unreadable header: ") && record.getInvalidReason().contains(adc.toString())
        && !record.getInvalidReason().contains("\n"), record.getInvalidReason());
    assertEquals(List.of(5, 6, 7), record.getShape(), "the DWI's geometry is still recorded");
  }

  /**
   * Undefined geometry (pixdim 0, neither qform nor sform): the NIfTI reader refuses it (issue 10,
   * item 1, in org.isles.nifti) and discovery must turn that refusal into an invalid case rather
   * than call it valid at 1 mm.
   */
  @Test
  void undefinedGeometryMakesTheCaseInvalid() throws IOException {
    Path dwi = root.resolve("rawdata/sub-H/ses-0001/dwi/sub-H_ses-0001_dwi.nii");
    write("rawdata/sub-H/ses-0001/dwi/sub-H_ses-0001_dwi.nii", FLAT_GRID);
    write("rawdata/sub-H/ses-0001/dwi/sub-H_ses-0001_adc.nii", FLAT_GRID);
    write("derivatives/sub-H/ses-0001/sub-H_ses-0001_msk.nii", FLAT_GRID);
    for (int axis = 1; axis <= 3; axis++) {
      patchFloat(dwi, PIXDIM_0 + 4 * axis, 0f);
    }
    patchShort(dwi, QFORM_CODE, (short) 0);
    patchShort(dwi, SFORM_CODE, (short) 0);
    assertThrows(NiftiException.class, () -> Nifti.readHeader(dwi).grid());

    CaseRecord record = CaseDiscovery.discover(root).get(0);

    assertFalse(record.getValid());
    assertTrue(record.getInvalidReason().startsWith("unreadable header: ") && record.getInvalidReason().contains(dwi.toString()),
        record.getInvalidReason());
  }

  @Test
  void aRootOfMasksOnlyListsEachMaskWithItsCase() throws IOException {
    write("derivatives/sub-strokecase0007/ses-0001/sub-strokecase0007_ses-0001_msk.nii.gz", FLAT_GRID);

    CaseRecord record = CaseDiscovery.discover(root).get(0);

    assertEquals("sub-strokecase0007", record.getCaseId());
    assertEquals(path(root.resolve("derivatives/sub-strokecase0007/ses-0001/sub-strokecase0007_ses-0001_msk.nii.gz")),
        record.getMaskPath());
    assertFalse(record.getValid(), "no images to train on");
  }

  @Test
  void refusesARootWithoutRawdataOrDerivatives() throws IOException {
    Files.createDirectories(root.resolve("sub-strokecase0001"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CaseDiscovery.discover(root));
    assertEquals("dataset root " + root + " has neither rawdata/ nor derivatives/; expected the ISLES 2022 layout "
        + "rawdata/sub-*/ses-0001/...", e.getMessage());
  }

  @Test
  void manifestRoundTripsThroughJsonAndAvro() throws IOException {
    new SyntheticDataset(3, 0.3).write(root.resolve("data"), 2, done -> {});
    Files.delete(BidsLayout.path(root.resolve("data"), "sub-strokecase0001", Modality.MASK));
    Manifest manifest = Manifest.of(root.resolve("data"));
    assertEquals(1, manifest.validCount());
    assertEquals(1, manifest.invalidCount());

    for (String name : List.of("manifest.json", "manifest.avro")) {
      manifest.write(root.resolve(name));
      assertEquals(manifest, Manifest.read(root.resolve(name)), name);
    }
    JsonNode json = new ObjectMapper().readTree(root.resolve("manifest.json").toFile());
    assertEquals(path(root.resolve("data")), json.get("root").asText());
    assertEquals(1, json.get("invalid_cases").asInt());
    JsonNode first = json.get("cases").get(0);
    assertEquals("sub-strokecase0001", first.get("case_id").asText(), "plain strings, not Avro's {\"string\": ...}");
    assertTrue(first.get("mask_path").isNull());
    assertTrue(first.get("invalid_reason").asText().startsWith("missing mask: "));
    assertEquals(3, json.get("cases").get(1).get("spacing").size());
  }

  @Test
  void manifestNeedsAJsonOrAvroName() {
    Manifest manifest = new Manifest("/data", List.of());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> manifest.write(root.resolve("cases.csv")));
    assertEquals("manifest file " + root.resolve("cases.csv") + " must end in .json or .avro", e.getMessage());
  }

  private void write(String relative, Grid grid) throws IOException {
    Path file = root.resolve(relative);
    Files.createDirectories(file.getParent());
    Nifti.write(file, Volume.zeros(grid), NiftiDatatype.FLOAT32);
  }

  /** NIfTI-1 field offsets (little-endian files as Nifti.write writes them). */
  private static final int DIM_1 = 42;
  private static final int PIXDIM_0 = 76;
  private static final int QFORM_CODE = 252;
  private static final int SFORM_CODE = 254;

  private static void patchShort(Path file, int offset, short value) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putShort(offset, value);
    Files.write(file, bytes);
  }

  private static void patchFloat(Path file, int offset, float value) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putFloat(offset, value);
    Files.write(file, bytes);
  }

  private static List<Path> realListing(Path folder, int depth) throws IOException {
    try (Stream<Path> files = Files.walk(folder, depth)) {
      return files.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private static Map<String, CaseRecord> byId(List<CaseRecord> cases) {
    return cases.stream().collect(Collectors.toMap(CaseRecord::getCaseId, c -> c, (x, y) -> x, LinkedHashMap::new));
  }

  private static String path(Path file) {
    return file.toAbsolutePath().normalize().toString();
  }
}

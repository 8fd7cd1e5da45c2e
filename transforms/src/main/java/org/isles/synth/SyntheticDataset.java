package org.isles.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.isles.dataset.BidsLayout;
import org.isles.dataset.Modality;
import org.isles.nifti.Nifti;
import org.isles.volume.Volume;

/**
 * A synthetic ISLES 2022-like dataset: skull-stripped head phantoms with DWI-bright / ADC-dark
 * lesions, written in the ISLES 2022 BIDS layout (see {@link BidsLayout}).
 *
 * <p>Each case is a pure function of (seed, case number), so cases can be made in any order or
 * in parallel and give the same bytes on every run (on another CPU architecture, Java's
 * {@code Math} functions may differ in the last bit). Per case the generator draws a voxel size (thin
 * to thick slices), an axis layout (RAS, LAS, LPS, sagittal, oblique), a finer FLAIR grid,
 * storage types (float32, int16, int16 with scl_slope/scl_inter), 0 to 10 acute lesions with
 * volumes log-uniform from a few voxels to territorial size, and up to two unlabelled mimics
 * (T2 shine-through, old infarcts). One case in eight has no acute lesion.
 */
public final class SyntheticDataset {
  /** Head size of the default dataset relative to an adult's: small enough to make 24 cases in seconds. */
  public static final double DEFAULT_SIZE = 0.5;

  private static final int MAX_LESIONS = 10;
  private static final int LESION_FREE_PERIOD = 8;
  /** The largest lesion of an adult head, a territorial infarct. */
  private static final double ADULT_MAX_LESION_ML = 80;
  private static final int MIN_LESION_VOXELS = 4;
  /** Unlabelled look-alikes per case, at most (see {@link LesionAppearance#mimic}). */
  private static final ImageEncoding[] IMAGE_ENCODINGS = {
    ImageEncoding.FLOAT32, ImageEncoding.INT16, ImageEncoding.INT16_SCALED
  };

  private final long seed;
  private final double size;
  private final SynthProfile profile;

  /**
   * @param size head size relative to an adult's (1.0: a ~180x220x150 mm field of view at the
   *     scanner's own voxel sizes); lesion volumes scale with it
   */
  public SyntheticDataset(long seed, double size) {
    this(seed, size, SynthProfile.DEFAULT);
  }

  /** A dataset of the given {@link SynthProfile}; {@link SynthProfile#DEFAULT} gives the same bytes as the two-argument form. */
  public SyntheticDataset(long seed, double size, SynthProfile profile) {
    this.profile = profile;
    if (!(size > 0.05 && size <= 2)) {
      throw new IllegalArgumentException("synthetic head size must be in (0.05, 2], got " + size);
    }
    this.seed = seed;
    this.size = size;
  }

  /** The case with id {@link BidsLayout#caseId}(caseNumber), 1-based. */
  public SyntheticCase generate(int caseNumber) {
    if (caseNumber < 1) {
      throw new IllegalArgumentException("case numbers start at 1, got " + caseNumber);
    }
    SplittableRandom random = new SplittableRandom(mix(seed ^ mix(caseNumber)));
    double[] headCenter = {
      10 * (random.nextDouble() - 0.5), -15 + 20 * (random.nextDouble() - 0.5), 12 + 20 * (random.nextDouble() - 0.5)
    };
    HeadPhantom phantom = new HeadPhantom(random.split(), headCenter, size);
    ScanGeometry geometry = ScanGeometry.sample(random.split(), headCenter, size);
    double sliceThickness = java.util.Arrays.stream(geometry.dwi().spacing()).max().orElseThrow();
    MriContrast contrast = new MriContrast(random.split(), profile, sliceThickness);

    LesionPlan plan = planLesions(caseNumber, phantom, geometry, random.split());

    Map<Modality, ImageEncoding> encodings = new EnumMap<>(Modality.class);
    for (Modality modality : List.of(Modality.DWI, Modality.ADC, Modality.FLAIR)) {
      encodings.put(modality, IMAGE_ENCODINGS[random.nextInt(IMAGE_ENCODINGS.length)]);
    }
    encodings.put(Modality.MASK, ImageEncoding.UINT8);

    CaseRenderer renderer = new CaseRenderer(phantom, plan.lesions(), contrast);
    CaseRenderer.DiffusionImages diffusion = renderer.renderDiffusion(
        geometry.dwi(), random.split(), encodings.get(Modality.DWI), encodings.get(Modality.ADC));
    Map<Modality, Volume> images = new EnumMap<>(Modality.class);
    images.put(Modality.DWI, diffusion.dwi());
    images.put(Modality.ADC, diffusion.adc());
    images.put(Modality.MASK, diffusion.mask());
    images.put(Modality.FLAIR, renderer.renderFlair(geometry.flair(), random.split(), encodings.get(Modality.FLAIR)));
    return new SyntheticCase(BidsLayout.caseId(caseNumber), images, encodings, plan.labelled(), plan.mimics());
  }

  /** The lesions of one case: all of them for rendering, and where the labelled ones and the mimics went. */
  private record LesionPlan(List<Lesion> lesions, List<PlannedLesion> labelled, List<PlannedLesion> mimics) {}

  private LesionPlan planLesions(int caseNumber, HeadPhantom phantom, ScanGeometry geometry, SplittableRandom random) {
    int count = lesionFree(caseNumber) ? 0 : 1 + (int) (MAX_LESIONS * Math.pow(random.nextDouble(), 2));
    double minMl = MIN_LESION_VOXELS * geometry.dwi().voxelVolumeMl();
    double maxMl = Math.max(4 * minMl, ADULT_MAX_LESION_ML * size * size * size);
    List<Lesion> infarcts = new ArrayList<>();
    List<PlannedLesion> labelled = new ArrayList<>();
    for (int n = 0; n < count; n++) {
      double volumeMl = logUniform(random, minMl, maxMl);
      double[] center = lesionCenter(phantom, geometry, random);
      infarcts.add(new Lesion(random.split(), center, volumeMl, LesionAppearance.acuteInfarct(random, profile), profile.edgeMm()));
      labelled.add(new PlannedLesion(center[0], center[1], center[2], volumeMl));
    }
    List<Lesion> lesions = new ArrayList<>(infarcts);
    List<PlannedLesion> mimics = new ArrayList<>();
    int mimicCount = random.nextInt(profile.maxMimics() + 1);
    for (int n = 0; n < mimicCount; n++) {
      double volumeMl = logUniform(random, minMl, maxMl);
      double[] center = phantom.parenchymaPoint(random);
      Lesion mimic = new Lesion(random.split(), center, volumeMl, LesionAppearance.mimic(random, profile), profile.edgeMm());
      // a mimic overlapping an infarct would blur the label's edge, so it is left out
      if (infarcts.stream().noneMatch(mimic::mayTouch)) {
        lesions.add(mimic);
        mimics.add(new PlannedLesion(center[0], center[1], center[2], volumeMl));
      }
    }
    return new LesionPlan(lesions, labelled, mimics);
  }

  private static double logUniform(SplittableRandom random, double min, double max) {
    return min * Math.pow(max / min, random.nextDouble());
  }

  /**
   * A lesion centre in parenchyma, on a DWI voxel centre: that voxel is then labelled whatever
   * the lesion's size, so every planned lesion shows in the mask and a case is lesion-free
   * exactly when none was planned.
   */
  private static double[] lesionCenter(HeadPhantom phantom, ScanGeometry geometry, SplittableRandom random) {
    while (true) {
      double[] center = ScanGeometry.nearestVoxelCenter(geometry.dwi(), phantom.parenchymaPoint(random));
      if (phantom.inParenchyma(center)) {
        return center;
      }
    }
  }

  /** Generates case {@code caseNumber} and writes its four files under {@code root}. */
  public SyntheticCase writeCase(Path root, int caseNumber) {
    SyntheticCase synthetic = generate(caseNumber);
    for (Modality modality : Modality.values()) {
      Path file = BidsLayout.path(root, synthetic.caseId(), modality);
      ImageEncoding encoding = synthetic.encoding(modality);
      createDirectories(file.getParent());
      Nifti.write(file, synthetic.image(modality), encoding.datatype(), encoding.slope(), encoding.inter());
    }
    return synthetic;
  }

  /**
   * Writes cases 1..{@code cases} in parallel, with the BIDS dataset descriptions, and reports
   * each finished case's running count to {@code progress} (from worker threads).
   */
  public void write(Path root, int cases, IntConsumer progress) {
    if (cases < 1) {
      throw new IllegalArgumentException("number of cases must be at least 1, got " + cases);
    }
    writeDescriptions(root, cases);
    AtomicInteger done = new AtomicInteger();
    IntStream.rangeClosed(1, cases).parallel().forEach(caseNumber -> {
      writeCase(root, caseNumber);
      progress.accept(done.incrementAndGet());
    });
  }

  /** Whether the case was drawn without lesions: one in {@value #LESION_FREE_PERIOD}, spread by the seed. */
  public boolean lesionFree(int caseNumber) {
    return Math.floorMod(caseNumber + mix(seed), LESION_FREE_PERIOD) == 0;
  }

  private void writeDescriptions(Path root, int cases) {
    Map<String, Object> generatedBy = new LinkedHashMap<>();
    generatedBy.put("Name", "isles synth");
    generatedBy.put("Description", "synthetic head phantoms: seed " + seed + ", size " + size + ", " + cases + " cases"
        + (profile == SynthProfile.DEFAULT ? "" : ", profile " + profile.label()));
    writeJson(root.resolve("dataset_description.json"), description("Synthetic ISLES 2022-like stroke MRI", "raw", generatedBy));
    writeJson(root.resolve(BidsLayout.DERIVATIVES).resolve("dataset_description.json"),
        description("Synthetic ISLES 2022-like stroke lesion masks", "derivative", generatedBy));
  }

  private static Map<String, Object> description(String name, String type, Map<String, Object> generatedBy) {
    Map<String, Object> description = new LinkedHashMap<>();
    description.put("Name", name);
    description.put("BIDSVersion", "1.7.0");
    description.put("DatasetType", type);
    description.put("GeneratedBy", List.of(generatedBy));
    return description;
  }

  private static void writeJson(Path file, Object value) {
    try {
      createDirectories(file.getParent());
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), value);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static void createDirectories(Path directory) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create directory " + directory + ": " + e.getMessage(), e);
    }
  }

  /** SplitMix64's finalizer: nearby inputs give unrelated outputs. */
  private static long mix(long value) {
    long z = value + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}

package org.isles.preprocess;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.isles.dataset.CaseInputException;
import org.isles.dataset.ProcessedStore;
import org.isles.io.Json;
import org.isles.nifti.Nifti;
import org.isles.nifti.NiftiHeader;
import org.isles.schemas.CaseRecord;
import org.isles.schemas.ChannelNormalization;
import org.isles.schemas.ProcessedCase;
import org.isles.volume.Grid;
import org.isles.volume.Volume;

/**
 * Preprocesses one case: reads its channels and mask, checks them, resamples to the target
 * spacing (cubic B-spline for images, nearest for the mask), crops to the brain, normalizes each
 * channel on the brain, and writes {@code outRoot/<case_id>/} with the record that maps a
 * prediction back onto the original DWI grid.
 */
public final class CasePreprocessor {
  /** How a mask's voxels become lesion or background (SPEC 6a), as case.json states it. */
  public static final String MASK_RULE = "nonzero";
  /** Distinct values a non-binary mask's count lists; more are summed under {@value #OTHER_VALUES}. */
  private static final int LISTED_MASK_VALUES = 32;
  private static final String OTHER_VALUES = "other";

  private final PreprocessingSettings settings;
  private final CaseMemoryBudget budget;

  /** With the default budget: a share of this JVM's heap per available core. */
  public CasePreprocessor(PreprocessingSettings settings) {
    this(settings, CaseMemoryBudget.heapShare(Runtime.getRuntime().availableProcessors()));
  }

  public CasePreprocessor(PreprocessingSettings settings, CaseMemoryBudget budget) {
    this.settings = settings;
    this.budget = budget;
  }

  /**
   * A case resampled, cropped and normalized in memory, with the record that describes it.
   *
   * @param maskValues voxel count per value of a mask holding values other than 0 and 1 (keys as
   *     text, ascending), or null for a binary mask or none
   */
  public record PreparedCase(ProcessedCase record, List<Volume> channels, Volume mask, Map<String, Long> maskValues) {}

  /**
   * Preprocesses and writes {@code outRoot/<case_id>/} through {@link ProcessedStore}: one file per
   * channel, the mask, case.avro and case.json.
   */
  public ProcessedCase process(CaseRecord record, Path outRoot) {
    if (!record.getValid()) {
      throw new CaseInputException(null, record.getInvalidReason());
    }
    PreparedCase prepared = prepare(record);
    ProcessedCase processed = prepared.record();
    new ProcessedStore(outRoot).write(processed, prepared.channels(), prepared.mask(), caseJson(processed, prepared.maskValues()));
    return processed;
  }

  /**
   * Reads, checks, resamples, crops and normalizes a case without writing anything; inference uses
   * this to repeat a run's preprocessing exactly. The mask is optional: without one, the prepared
   * mask is null and the lesion fields are 0.
   */
  public PreparedCase prepare(CaseRecord record) {
    requireWithinBudget(record);
    Volume dwi = read(record.getDwiPath(), "DWI");
    Volume adc = read(record.getAdcPath(), "ADC");
    requireSameGrid(record.getDwiPath(), dwi, record.getAdcPath(), adc);
    Volume mask = null;
    Map<String, Long> maskValues = null;
    if (record.getMaskPath() != null) {
      mask = read(record.getMaskPath(), "mask");
      requireSameGrid(record.getDwiPath(), dwi, record.getMaskPath(), mask);
      maskValues = nonBinaryValues(mask);
      if (maskValues != null) {
        System.err.println("warning: mask " + record.getMaskPath() + " is not binary, values (voxels) " + maskValues
            + "; every " + MASK_RULE + " voxel counts as lesion");
      }
    }
    List<Volume> images = new ArrayList<>(List.of(dwi, adc));
    List<String> files = new ArrayList<>(List.of(record.getDwiPath(), record.getAdcPath()));
    if (settings.useFlair()) {
      images.add(read(record.getFlairPath(), "FLAIR"));
      files.add(record.getFlairPath());
    }
    for (int c = 0; c < images.size(); c++) {
      requireFinite(files.get(c), images.get(c));
    }
    Volume brainOriginal = BrainMask.nonzero(dwi);
    long brainVoxels = countNonzero(brainOriginal);
    if (brainVoxels == 0) {
      throw new CaseInputException(record.getDwiPath(), "empty brain: the DWI has no nonzero voxel");
    }

    Grid original = dwi.grid();
    Grid resampled = settings.targetSpacing().gridFor(original);
    Volume brain = Resampler.resample(brainOriginal, resampled, Interpolation.NEAREST);
    CropBox crop = CropBox.aroundNonzero(brain, settings.cropMarginVoxels());
    Volume croppedBrain = crop.crop(brain);

    String[] channels = settings.channels();
    List<Volume> normalizedChannels = new ArrayList<>();
    List<ChannelNormalization> normalization = new ArrayList<>();
    for (int c = 0; c < channels.length; c++) {
      Volume image = crop.crop(Resampler.resample(images.get(c), resampled, Interpolation.CUBIC_BSPLINE));
      if (settings.normalization() == Normalization.NONE) {
        normalizedChannels.add(image);
        normalization.add(new ChannelNormalization(channels[c], Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 0.0, 1.0));
        continue;
      }
      PercentileZScore.Normalized normalized = PercentileZScore.DEFAULT.apply(image, croppedBrain);
      normalizedChannels.add(normalized.volume());
      PercentileZScore.Stats stats = normalized.stats();
      normalization.add(new ChannelNormalization(channels[c], stats.low(), stats.high(), stats.mean(), stats.std()));
    }
    Volume croppedMask = mask == null ? null : crop.crop(Resampler.resample(binary(mask), resampled, Interpolation.NEAREST));
    long lesionVoxels = mask == null ? 0 : countNonzero(mask);
    Grid processedGrid = crop.crop(resampled);
    ProcessedCase processed =
        ProcessedCase.newBuilder()
            .setCaseId(record.getCaseId())
            .setChannels(List.of(channels))
            .setOriginalShape(ints(original.shape()))
            .setOriginalAffine(doubles(original.affine()))
            .setOriginalSpacing(doubles(original.spacing()))
            .setTargetSpacing(doubles(resampled.spacing()))
            .setResampledShape(ints(resampled.shape()))
            .setResampledAffine(doubles(resampled.affine()))
            .setCropLo(ints(crop.lo()))
            .setCropHi(ints(crop.hi()))
            .setShape(ints(processedGrid.shape()))
            .setAffine(doubles(processedGrid.affine()))
            .setNormalization(normalization)
            .setBrainVoxels(brainVoxels)
            .setLesionVoxels(lesionVoxels)
            .setLesionVolumeMl(lesionVoxels * original.voxelVolumeMl())
            .setSliceThicknessMm(Arrays.stream(original.spacing()).max().orElseThrow())
            .build();
    return new PreparedCase(processed, normalizedChannels, croppedMask, maskValues);
  }

  /**
   * Refuses a case whose preprocessing would need more heap than the budget, from its headers
   * alone: nothing of the case is allocated before this check.
   */
  private void requireWithinBudget(CaseRecord record) {
    NiftiHeader dwi = readHeader(record.getDwiPath(), "DWI");
    List<NiftiHeader> inputs = new ArrayList<>(List.of(dwi, readHeader(record.getAdcPath(), "ADC")));
    if (record.getMaskPath() != null) {
      inputs.add(readHeader(record.getMaskPath(), "mask"));
    }
    NiftiHeader flair = settings.useFlair() ? readHeader(record.getFlairPath(), "FLAIR") : null;
    Grid original = gridOf(dwi, record.getDwiPath());
    TargetSpacing target = settings.targetSpacing();
    long needed = bytesNeeded(inputs, flair, TargetSpacing.voxelCount(target.shapeFor(original)), settings.channels().length);
    if (!budget.allows(needed)) {
      throw new CaseInputException(record.getDwiPath(), "case " + record.getCaseId() + " would need "
          + CaseMemoryBudget.gigabytes(needed) + " GB at " + millimetres(target.spacingFor(original.spacing()))
          + " mm (budget " + budget.describe() + ")");
    }
  }

  /**
   * What {@link #prepare} holds at its peak, in bytes, over-counting rather than under: every input
   * as float32 on its own grid plus the largest file's raw voxels while it is decoded; on the DWI
   * grid the brain mask, the binarized mask and one double-precision copy (spline coefficients or
   * nearest-neighbour input) of the largest input; on the uncropped target grid the brain, its crop,
   * the mask, each normalized channel, one resampled image before its crop and the brain's values
   * in double precision for the percentiles. The crop is not known before the brain is resampled,
   * so the target grid counts in full. Measured on a full-size synthetic case (184x125x30 at
   * 1.2x1.2x6 mm to 1 mm, 221x150x180): estimate 0.197 GiB, smallest -Xmx that prepares it with
   * the serial collector 130 MB (100 MB fails); with FLAIR, estimate 0.239 GiB, G1 passes at 160 MB.
   */
  private static long bytesNeeded(List<NiftiHeader> onDwiGrid, NiftiHeader flair, long targetVoxels, int channels) {
    List<NiftiHeader> all = new ArrayList<>(onDwiGrid);
    if (flair != null) {
      all.add(flair);
    }
    long sourceVoxels = onDwiGrid.get(0).voxelCount();
    long inputs = 0;
    long largestRaw = 0;
    long largestInput = sourceVoxels;
    for (NiftiHeader header : all) {
      inputs = saturatedAdd(inputs, saturatedMultiply(header.voxelCount(), Float.BYTES));
      largestRaw = Math.max(largestRaw, saturatedMultiply(header.voxelCount(), Math.max(1, header.bitpix() / 8)));
      largestInput = Math.max(largestInput, header.voxelCount());
    }
    long onSource = saturatedAdd(saturatedMultiply(sourceVoxels, 2L * Float.BYTES), saturatedMultiply(largestInput, Double.BYTES));
    long perTargetVoxel = (long) Float.BYTES * (channels + 4) + Double.BYTES;
    long onTarget = saturatedMultiply(targetVoxels, perTargetVoxel);
    return saturatedAdd(saturatedAdd(inputs, largestRaw), saturatedAdd(onSource, onTarget));
  }

  private static long saturatedMultiply(long a, long b) {
    return b != 0 && a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
  }

  private static long saturatedAdd(long a, long b) {
    return a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b;
  }

  /** "2" for isotropic spacing, "0.9x0.9x3" otherwise. */
  private static String millimetres(double[] spacing) {
    String[] values = Arrays.stream(spacing)
        .mapToObj(mm -> new BigDecimal(mm).round(new MathContext(3)).stripTrailingZeros().toPlainString())
        .toArray(String[]::new);
    return values[0].equals(values[1]) && values[1].equals(values[2]) ? values[0] : String.join("x", values);
  }

  /** The settings a case written by {@link #process} was preprocessed with (from its case.json). */
  public static PreprocessingSettings readSettings(ProcessedStore store, String caseId) {
    Object settings = store.caseJsonOf(caseId).get("preprocessing");
    if (!(settings instanceof Map<?, ?> json)) {
      throw new IllegalArgumentException(store.caseJson(caseId) + " records no preprocessing settings");
    }
    return PreprocessingSettings.fromJson(json);
  }

  /** The case.json content: the record for people, the mask rule and values, the settings. */
  private Map<String, Object> caseJson(ProcessedCase processed, Map<String, Long> maskValues) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("case", Json.MAPPER.convertValue(jsonView(processed), Map.class));
    json.put("mask_rule", MASK_RULE);
    if (maskValues != null) {
      json.put("mask_values", maskValues);
    }
    json.put("preprocessing", settings.toJson());
    return json;
  }

  /** Avro records carry their schema; people want the fields only. */
  private static Map<String, Object> jsonView(ProcessedCase processed) {
    Map<String, Object> view = new LinkedHashMap<>();
    for (org.apache.avro.Schema.Field field : ProcessedCase.getClassSchema().getFields()) {
      Object value = processed.get(field.pos());
      if (field.name().equals("normalization")) {
        List<Map<String, Object>> stats = new ArrayList<>();
        for (ChannelNormalization n : processed.getNormalization()) {
          Map<String, Object> entry = new LinkedHashMap<>();
          entry.put("channel", n.getChannel());
          entry.put("clip_low", n.getClipLow());
          entry.put("clip_high", n.getClipHigh());
          entry.put("mean", n.getMean());
          entry.put("std", n.getStd());
          stats.add(entry);
        }
        value = stats;
      }
      view.put(Json.key(field.name()), value);
    }
    return view;
  }

  private static Volume read(String file, String what) {
    requireFile(file, what);
    try {
      return Nifti.readVolume(Path.of(file));
    } catch (RuntimeException e) {
      throw new CaseInputException(file, e.getMessage(), e);
    }
  }

  private static NiftiHeader readHeader(String file, String what) {
    requireFile(file, what);
    try {
      return Nifti.readHeader(Path.of(file));
    } catch (RuntimeException e) {
      throw new CaseInputException(file, e.getMessage(), e);
    }
  }

  private static Grid gridOf(NiftiHeader header, String file) {
    try {
      return header.grid();
    } catch (RuntimeException e) {
      throw new CaseInputException(file, e.getMessage(), e);
    }
  }

  private static void requireFile(String file, String what) {
    if (file == null) {
      throw new CaseInputException(null, "missing " + what);
    }
    if (!Files.isRegularFile(Path.of(file))) {
      throw new CaseInputException(file, "missing " + what + " file");
    }
  }

  private static void requireSameGrid(String firstFile, Volume first, String otherFile, Volume other) {
    if (!first.grid().sameGrid(other.grid(), Grid.TOLERANCE_MM)) {
      throw new CaseInputException(
          otherFile,
          "grids disagree: " + firstFile + " is " + first.grid() + " but " + otherFile + " is " + other.grid());
    }
  }

  private static void requireFinite(String file, Volume image) {
    float[] data = image.data();
    for (int n = 0; n < data.length; n++) {
      if (!Float.isFinite(data[n])) {
        throw new CaseInputException(file, (Float.isNaN(data[n]) ? "NaN" : "Inf") + " voxel at index " + n);
      }
    }
  }

  /**
   * The voxel count of each value of {@code mask} when it holds any value besides 0 and 1 (keys
   * ascending, e.g. {@code {"-1": 3, "0": 9000, "0.5": 12, "255": 400}}), or null when it is
   * binary. Beyond {@value #LISTED_MASK_VALUES} distinct values the rest are counted under
   * {@value #OTHER_VALUES}, so a probability map given as a mask cannot grow the table unbounded.
   */
  static Map<String, Long> nonBinaryValues(Volume mask) {
    long zeros = 0;
    long ones = 0;
    long other = 0;
    Map<Float, Long> counts = new TreeMap<>();
    for (float v : mask.data()) {
      if (v == 0f) { // -0 too
        zeros++;
      } else if (v == 1f) {
        ones++;
      } else if (counts.containsKey(v) || counts.size() < LISTED_MASK_VALUES) {
        counts.merge(v, 1L, Long::sum);
      } else {
        other++;
      }
    }
    if (counts.isEmpty()) {
      return null;
    }
    counts.merge(0f, zeros, Long::sum);
    counts.merge(1f, ones, Long::sum);
    counts.values().removeIf(count -> count == 0);
    Map<String, Long> values = new LinkedHashMap<>();
    counts.forEach((value, count) -> values.put(value == Math.rint(value) && Math.abs(value) < 1e15
        ? String.valueOf(value.longValue()) : String.valueOf(value), count));
    if (other > 0) {
      values.put(OTHER_VALUES, other);
    }
    return values;
  }

  private static Volume binary(Volume mask) {
    float[] values = new float[mask.data().length];
    for (int n = 0; n < values.length; n++) {
      values[n] = mask.data()[n] != 0f ? 1f : 0f;
    }
    return new Volume(mask.grid(), values);
  }

  private static long countNonzero(Volume volume) {
    long count = 0;
    for (float v : volume.data()) {
      if (v != 0f) {
        count++;
      }
    }
    return count;
  }

  private static List<Integer> ints(int[] values) {
    return Arrays.stream(values).boxed().toList();
  }

  private static List<Double> doubles(double[] values) {
    return Arrays.stream(values).boxed().toList();
  }
}

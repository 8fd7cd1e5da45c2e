package org.isles.synth;

import java.util.List;
import java.util.SplittableRandom;
import org.isles.volume.Grid;
import org.isles.volume.Volume;

/**
 * Samples one case's world-space phantom and lesions on a voxel grid: each voxel takes the value
 * at its centre plus Gaussian noise, quantized as the file will store it. Outside the brain
 * every image is exactly 0, as in skull-stripped data; inside, values stay at least 1 so the
 * nonzero region is the brain.
 */
final class CaseRenderer {
  private final HeadPhantom phantom;
  private final List<Lesion> lesions;
  private final MriContrast contrast;

  CaseRenderer(HeadPhantom phantom, List<Lesion> lesions, MriContrast contrast) {
    this.phantom = phantom;
    this.lesions = List.copyOf(lesions);
    this.contrast = contrast;
  }

  /** DWI, ADC and lesion mask, which share the diffusion grid. */
  record DiffusionImages(Volume dwi, Volume adc, Volume mask) {}

  DiffusionImages renderDiffusion(Grid grid, SplittableRandom noise, ImageEncoding dwiEncoding, ImageEncoding adcEncoding) {
    Volume dwi = Volume.zeros(grid);
    Volume adc = Volume.zeros(grid);
    Volume mask = Volume.zeros(grid);
    scan(grid, (index, sample) -> {
      dwi.data()[index] = dwiEncoding.quantize(noisy(contrast.dwi(sample), contrast.dwiNoise(), noise));
      adc.data()[index] = adcEncoding.quantize(noisy(contrast.adc(sample), contrast.adcNoise(), noise));
      mask.data()[index] = sample.labelledLesion() ? 1f : 0f;
    });
    return new DiffusionImages(dwi, adc, mask);
  }

  Volume renderFlair(Grid grid, SplittableRandom noise, ImageEncoding encoding) {
    Volume flair = Volume.zeros(grid);
    scan(grid, (index, sample) ->
        flair.data()[index] = encoding.quantize(noisy(contrast.flair(sample), contrast.flairNoise(), noise)));
    return flair;
  }

  private static double noisy(double value, double sigma, SplittableRandom noise) {
    return Math.max(1, value + sigma * noise.nextGaussian());
  }

  private interface BrainVoxelWriter {
    void write(int index, TissueSample sample);
  }

  /** Calls {@code writer} for every voxel inside the brain, in the grid's index order. */
  private void scan(Grid grid, BrainVoxelWriter writer) {
    double[] a = grid.affine();
    TissueSample sample = new TissueSample();
    int index = 0;
    for (int k = 0; k < grid.nz(); k++) {
      for (int j = 0; j < grid.ny(); j++) {
        double rowX = a[1] * j + a[2] * k + a[3];
        double rowY = a[5] * j + a[6] * k + a[7];
        double rowZ = a[9] * j + a[10] * k + a[11];
        for (int i = 0; i < grid.nx(); i++, index++) {
          double x = rowX + a[0] * i;
          double y = rowY + a[4] * i;
          double z = rowZ + a[8] * i;
          phantom.sample(x, y, z, sample);
          if (sample.inBrain) {
            addLesions(x, y, z, sample);
            writer.write(index, sample);
          }
        }
      }
    }
  }

  /** Overlapping lesions do not add up: the voxel takes the one with the largest share. */
  private void addLesions(double x, double y, double z, TissueSample sample) {
    sample.lesionWeight = 0;
    sample.lesion = null;
    for (Lesion lesion : lesions) {
      double weight = lesion.weight(x, y, z);
      if (weight > sample.lesionWeight) {
        sample.lesionWeight = weight;
        sample.lesion = lesion;
      }
    }
  }
}

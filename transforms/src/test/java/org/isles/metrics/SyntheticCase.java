package org.isles.metrics;

import java.util.Random;

/**
 * A made-up case for tests and the benchmark: Gaussian blobs of probability around random centres,
 * sparse noise, and a ground truth of balls near most blobs (some blobs are false alarms, some
 * lesions are nearly missed).
 */
public record SyntheticCase(int nx, int ny, int nz, float[] probabilities, boolean[] groundTruth) {

  public static SyntheticCase generate(long seed, int nx, int ny, int nz, int lesions, double maxRadius, double noise) {
    Random random = new Random(seed);
    float[] probabilities = new float[nx * ny * nz];
    boolean[] groundTruth = new boolean[probabilities.length];
    for (int n = 0; n < probabilities.length; n++) {
      double u = random.nextDouble();
      probabilities[n] = (float) (noise * u * u * u * u);
    }
    for (int lesion = 0; lesion < lesions; lesion++) {
      double radius = 1 + random.nextDouble() * (maxRadius - 1);
      double[] centre = {random.nextDouble() * nx, random.nextDouble() * ny, random.nextDouble() * nz};
      double kind = random.nextDouble();
      double amplitude = kind < 0.15 ? 0.08 : 0.35 + 0.65 * random.nextDouble();
      boolean inTruth = kind < 0.85;
      double[] shifted = {centre[0] + random.nextGaussian(), centre[1] + random.nextGaussian(), centre[2]};
      int reach = (int) Math.ceil(2.5 * radius) + 2;
      for (int k = Math.max(0, (int) centre[2] - reach); k < Math.min(nz, (int) centre[2] + reach); k++) {
        for (int j = Math.max(0, (int) centre[1] - reach); j < Math.min(ny, (int) centre[1] + reach); j++) {
          for (int i = Math.max(0, (int) centre[0] - reach); i < Math.min(nx, (int) centre[0] + reach); i++) {
            int n = i + nx * (j + ny * k);
            double blob = amplitude * Math.exp(-squaredDistance(i, j, k, centre) / (2 * radius * radius));
            probabilities[n] = (float) Math.min(1.0, Math.max(probabilities[n], blob));
            groundTruth[n] |= inTruth && squaredDistance(i, j, k, shifted) <= radius * radius;
          }
        }
      }
    }
    return new SyntheticCase(nx, ny, nz, probabilities, groundTruth);
  }

  private static double squaredDistance(int i, int j, int k, double[] centre) {
    double di = i - centre[0], dj = j - centre[1], dk = k - centre[2];
    return di * di + dj * dj + dk * dk;
  }
}

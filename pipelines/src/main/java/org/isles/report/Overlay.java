package org.isles.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.isles.stats.Percentile;
import org.isles.volume.Grid;
import org.isles.volume.Volume;

/**
 * Axial slices of a case's DWI with the ground-truth outline in green and the predicted outline in
 * red (yellow where both outlines share a voxel), to see at a glance where a prediction misses.
 *
 * <p>Axial means a fixed third voxel axis k. Display convention, radiological: the patient's right
 * on the screen's left and anterior up. From the grid's {@link Grid#orientation() axis codes}:
 * the first voxel axis runs leftwards on screen when it points to the patient's right (code R),
 * else rightwards; the second runs downwards when it points posteriorly (code P), else upwards.
 * Voxel axes are never swapped, so an acquisition whose first two axes are not left-right and
 * anterior-posterior is shown with i to the right and j up. Voxels are drawn square (in-plane spacing is ignored) and enlarged by nearest
 * neighbour so that a slice is at least {@value #MIN_PANEL_PIXELS} pixels across.
 *
 * <p>Grey levels window the DWI to the 1st-99th percentiles of its nonzero voxels. An outline
 * voxel is a mask voxel with one of its four in-plane neighbours outside the mask (or outside
 * the image).
 */
public final class Overlay {
  public static final int GROUND_TRUTH_RGB = 0x00ff00;
  public static final int PREDICTION_RGB = 0xff0000;
  public static final int BOTH_RGB = 0xffff00;
  public static final int MIN_PANEL_PIXELS = 256;
  public static final int SLICES = 3;
  private static final int GAP = 4;
  private static final int CAPTION_HEIGHT = 28;
  private static final Color BACKGROUND = new Color(0x202020);
  private static final Font CAPTION_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 15);

  private Overlay() {}

  /** The grey-level window of a DWI: its 1st and 99th percentiles over nonzero finite voxels. */
  public record Window(double low, double high) {
    public static Window of(Volume dwi) {
      double[] values = IntStream.range(0, dwi.data().length)
          .mapToDouble(n -> dwi.data()[n])
          .filter(v -> v != 0 && Double.isFinite(v))
          .sorted()
          .toArray();
      if (values.length == 0) {
        return new Window(0, 1);
      }
      double low = Percentile.ofSorted(values, 0, values.length, 0.01);
      double high = Percentile.ofSorted(values, 0, values.length, 0.99);
      return new Window(low, high > low ? high : low + 1);
    }

    int grey(float value) {
      double level = (value - low) / (high - low);
      return (int) Math.round(255 * Math.max(0, Math.min(1, level)));
    }
  }

  /**
   * The {@code count} axial slices with the most ground-truth plus predicted voxels, in increasing
   * k (the lower k wins a tie); the middle slice when both masks are empty.
   */
  public static int[] lesionSlices(Grid grid, boolean[] groundTruth, boolean[] prediction, int count) {
    int sliceSize = grid.nx() * grid.ny();
    long[] voxels = new long[grid.nz()];
    for (int n = 0; n < groundTruth.length; n++) {
      voxels[n / sliceSize] += (groundTruth[n] ? 1 : 0) + (prediction[n] ? 1 : 0);
    }
    int[] slices = IntStream.range(0, grid.nz())
        .filter(k -> voxels[k] > 0)
        .boxed()
        .sorted(Comparator.comparingLong((Integer k) -> -voxels[k]).thenComparingInt(k -> k))
        .limit(count)
        .mapToInt(Integer::intValue)
        .sorted()
        .toArray();
    return slices.length > 0 ? slices : new int[] {grid.nz() / 2};
  }

  /**
   * Slice k at one pixel per voxel in the display convention: grey DWI, outlines coloured.
   * Pixel (x, y) shows voxel (i, j) with x = i or nx-1-i and y = j or ny-1-j per the convention.
   */
  public static BufferedImage slice(Volume dwi, Window window, boolean[] groundTruth, boolean[] prediction, int k) {
    Grid grid = dwi.grid();
    int nx = grid.nx();
    int ny = grid.ny();
    String codes = grid.orientation();
    boolean flipX = codes.charAt(0) == 'R';
    boolean flipY = codes.charAt(1) != 'P';
    BufferedImage image = new BufferedImage(nx, ny, BufferedImage.TYPE_INT_RGB);
    for (int j = 0; j < ny; j++) {
      for (int i = 0; i < nx; i++) {
        int n = grid.index(i, j, k);
        boolean truthEdge = isOutline(groundTruth, grid, i, j, k);
        boolean predictedEdge = isOutline(prediction, grid, i, j, k);
        int rgb;
        if (truthEdge && predictedEdge) {
          rgb = BOTH_RGB;
        } else if (truthEdge) {
          rgb = GROUND_TRUTH_RGB;
        } else if (predictedEdge) {
          rgb = PREDICTION_RGB;
        } else {
          int grey = window.grey(dwi.data()[n]);
          rgb = grey << 16 | grey << 8 | grey;
        }
        image.setRGB(flipX ? nx - 1 - i : i, flipY ? ny - 1 - j : j, rgb);
      }
    }
    return image;
  }

  /**
   * The {@link #lesionSlices} side by side, enlarged, under a caption (the given text and the
   * slice numbers).
   */
  public static BufferedImage render(Volume dwi, boolean[] groundTruth, boolean[] prediction, String caption) {
    Grid grid = dwi.grid();
    if (groundTruth.length != grid.size() || prediction.length != grid.size()) {
      throw new IllegalArgumentException("overlay of " + caption + ": masks of " + groundTruth.length + " and "
          + prediction.length + " voxels on a DWI of " + grid.size());
    }
    Window window = Window.of(dwi);
    int[] slices = lesionSlices(grid, groundTruth, prediction, SLICES);
    int scale = scale(grid);
    int panelWidth = grid.nx() * scale;
    int panelHeight = grid.ny() * scale;
    String title = caption + "   axial z = " + Arrays.stream(slices).mapToObj(String::valueOf).collect(Collectors.joining(", "));
    int width = Math.max(slices.length * panelWidth + (slices.length + 1) * GAP, textWidth(title) + 2 * GAP);
    BufferedImage image = new BufferedImage(width, CAPTION_HEIGHT + panelHeight + GAP, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(BACKGROUND);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.setFont(CAPTION_FONT);
    g.drawString(title, GAP, 20);
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
    for (int s = 0; s < slices.length; s++) {
      BufferedImage panel = slice(dwi, window, groundTruth, prediction, slices[s]);
      g.drawImage(panel, GAP + s * (panelWidth + GAP), CAPTION_HEIGHT, panelWidth, panelHeight, null);
    }
    g.dispose();
    return image;
  }

  /** How many pixels one voxel takes in {@link #render}. */
  public static int scale(Grid grid) {
    int across = Math.max(grid.nx(), grid.ny());
    return Math.max(1, (MIN_PANEL_PIXELS + across - 1) / across);
  }

  private static int textWidth(String text) {
    Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
    try {
      return g.getFontMetrics(CAPTION_FONT).stringWidth(text);
    } finally {
      g.dispose();
    }
  }

  private static boolean isOutline(boolean[] mask, Grid grid, int i, int j, int k) {
    if (!mask[grid.index(i, j, k)]) {
      return false;
    }
    return !inside(mask, grid, i - 1, j, k) || !inside(mask, grid, i + 1, j, k)
        || !inside(mask, grid, i, j - 1, k) || !inside(mask, grid, i, j + 1, k);
  }

  private static boolean inside(boolean[] mask, Grid grid, int i, int j, int k) {
    return i >= 0 && j >= 0 && i < grid.nx() && j < grid.ny() && mask[grid.index(i, j, k)];
  }
}

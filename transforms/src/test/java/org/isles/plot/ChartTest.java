package org.isles.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartTest {

  @Test
  void writesAPngWithTheSeriesDrawnInItsColour(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("curve.png");
    new Chart("loss", "epoch", "loss").line("train", new double[] {0, 1, 2, 3}, new double[] {1, 0.5, 0.3, 0.2}).writePng(file);
    BufferedImage image = ImageIO.read(file.toFile());
    assertEquals(800, image.getWidth());
    assertTrue(countPixels(image, 0x1f77b4) > 100, "the first series is drawn in blue");
    assertEquals(0, countPixels(image, 0xd62728), "no second series colour");
  }

  @Test
  void histogramBarsAreAsTallAsTheirCounts(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("hist.png");
    // Two bins: three values in the first, one in the second.
    new Chart("h", "x", "count").histogram(new double[] {0, 0.1, 0.2, 1}, 2).writePng(file);
    BufferedImage image = ImageIO.read(file.toFile());
    int first = columnHeight(image, 250);
    int second = columnHeight(image, 600);
    assertEquals(3.0, (double) first / second, 0.1);
    assertTrue(Files.size(file) > 0);
  }

  private static int countPixels(BufferedImage image, int rgb) {
    int n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if ((image.getRGB(x, y) & 0xffffff) == rgb) {
          n++;
        }
      }
    }
    return n;
  }

  private static int columnHeight(BufferedImage image, int x) {
    int n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      if ((image.getRGB(x, y) & 0xffffff) == 0x1f77b4) {
        n++;
      }
    }
    return n;
  }
}

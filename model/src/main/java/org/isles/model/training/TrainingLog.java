package org.isles.model.training;

import java.nio.file.Path;
import java.util.List;
import org.isles.io.CsvTable;
import org.isles.io.Json;
import org.isles.model.run.ModelFolder;
import org.isles.plot.Chart;

/** The per-epoch log of a run as CSV, JSON and a training-curve PNG (loss, validation Dice, lr). */
public final class TrainingLog {

  private TrainingLog() {}

  public static void write(Path dir, String title, List<EpochRecord> epochs) {
    CsvTable.write(dir.resolve(ModelFolder.TRAINING_LOG_CSV), EpochRecord.CSV_HEADER, epochs.stream().map(EpochRecord::csvRow).toList());
    Json.write(dir.resolve(ModelFolder.TRAINING_LOG_JSON), epochs);
    curve(title, epochs).writePng(dir.resolve(ModelFolder.TRAINING_CURVE));
  }

  /** Loss and Dice share the [0, ~1] axis; the learning rate is drawn relative to its largest value. */
  static Chart curve(String title, List<EpochRecord> epochs) {
    int n = epochs.size();
    double[] epoch = new double[n];
    double[] loss = new double[n];
    double[] dice = new double[n];
    double[] learningRate = new double[n];
    double maxLearningRate = epochs.stream().mapToDouble(EpochRecord::learningRate).max().orElse(1);
    for (int i = 0; i < n; i++) {
      EpochRecord record = epochs.get(i);
      epoch[i] = record.epoch();
      loss[i] = record.trainLoss();
      dice[i] = record.valDice() == null ? Double.NaN : record.valDice();
      learningRate[i] = maxLearningRate > 0 ? record.learningRate() / maxLearningRate : 0;
    }
    String lrName = String.format("lr / %.2g", maxLearningRate);
    Chart chart = new Chart(title, "epoch", "loss, Dice, relative lr")
        .line("train loss", epoch, loss)
        .line(lrName, epoch, learningRate);
    double[][] validated = finiteOnly(epoch, dice);
    return validated[0].length == 0 ? chart : chart.line("val Dice", validated[0], validated[1]);
  }

  /** Validation runs every few epochs; the Dice line joins the epochs that have one. */
  private static double[][] finiteOnly(double[] x, double[] y) {
    int count = 0;
    for (double v : y) {
      count += Double.isFinite(v) ? 1 : 0;
    }
    double[][] kept = new double[2][count];
    int k = 0;
    for (int i = 0; i < y.length; i++) {
      if (Double.isFinite(y[i])) {
        kept[0][k] = x[i];
        kept[1][k++] = y[i];
      }
    }
    return kept;
  }
}

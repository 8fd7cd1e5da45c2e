package org.isles.model.training;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.NoopTranslator;
import ai.djl.util.Pair;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.isles.augment.PatchAugmenter;
import org.isles.augment.PatchLoader;
import org.isles.augment.TrainingSampleSource;
import org.isles.model.OfflinePyTorch;
import org.isles.model.run.ModelFolder;
import org.isles.model.unet.UNet3d;
import org.isles.sampling.PatchSampler;
import org.isles.sampling.PatchSize;
import org.isles.sampling.TrainingCase;
import org.isles.sampling.TrainingSample;

/**
 * Trains one model (one fold, one seed) into a run directory: AdamW on a cosine schedule to 0 over
 * the planned iterations, batches of {@code batch_size} patches, gradients clipped to a global norm of
 * {@value GradientClipping#DEFAULT_MAX_NORM}, patches from a background {@link PatchLoader}; validation on
 * whole volumes every few epochs; checkpoints {@value ModelFolder#LAST} after every epoch and {@value ModelFolder#BEST}
 * when validation Dice improves; early stop when it has not improved for {@code patience} epochs.
 * With {@code ema_decay} set, validation and checkpoints use a moving average of the weights
 * ({@link WeightAverage}) and training goes on from its own.
 *
 * <p>Each iteration's arrays live in an {@link NDScope} that is closed before the next, so native
 * memory stays flat over a run. Several trainers may run at once on different threads.
 */
public final class SegmentationTrainer {
  private static final int PROGRESS_LINES_PER_EPOCH = 4;
  /** Updates skipped in a row (non-finite gradients) after which the run counts as diverged. */
  static final int MAX_CONSECUTIVE_SKIPPED_UPDATES = 20;
  /** Torch's random generator is global: weight initialisation of concurrent trainers is serialised to stay seeded. */
  private static final Object WEIGHT_INITIALISATION = new Object();

  /** How a run begins. */
  public sealed interface Start {
    /** Fresh weights from the seed. */
    record Fresh() implements Start {}

    /** Continue from the run directory's {@value ModelFolder#LAST} checkpoint: weights, moments, schedule, epoch. */
    record Resume() implements Start {}

    /** Weights from another run's parameters (a file or checkpoint directory); fresh optimizer and schedule. */
    record InitFrom(Path parameters) implements Start {}
  }

  /** What a run achieved. */
  public record Outcome(int epochsDone, Double bestDice, int bestEpoch, boolean stoppedEarly) {}

  private final TrainingConfig config;
  private final long seed;
  private final Path dir;
  private final String label;
  private final Consumer<String> progress;
  private volatile boolean stopRequested;
  private int consecutiveSkips;

  /**
   * @param label prefix of progress lines, e.g. "fold 0 seed 1"
   * @param progress receives progress lines (epoch, iteration, loss, ETA)
   */
  public SegmentationTrainer(TrainingConfig config, long seed, Path dir, String label, Consumer<String> progress) {
    this.config = config;
    this.seed = seed;
    this.dir = dir;
    this.label = label;
    this.progress = progress;
  }

  /**
   * Asks a running {@link #train} to return after the current epoch's checkpoint (e.g. on Ctrl-C);
   * {@link Start.Resume} continues it later.
   */
  public void requestStop() {
    stopRequested = true;
  }

  public Outcome train(List<TrainingCase> trainCases, List<TrainingCase> valCases, Start start) {
    if (trainCases.isEmpty() || valCases.isEmpty()) {
      throw new IllegalArgumentException(label + ": need training and validation cases, got " + trainCases.size()
          + " and " + valCases.size());
    }
    int channels = trainCases.get(0).channelCount();
    String engineName = OfflinePyTorch.engine().getEngineName();
    JniUtils.setNumThreads(config.threads());
    UNet3d network = UNet3d.builder()
        .setBaseChannels(config.baseChannels())
        .optDepth(config.depth())
        .optInputChannels(channels)
        .build();
    Tracker schedule = Tracker.cosine()
        .setBaseValue((float) config.learningRate())
        .optFinalValue(0)
        .setMaxUpdates(config.plannedIterations())
        .build();
    AdamW optimizer = new AdamW(schedule, (float) config.weightDecay());
    WeightAverage average = new WeightAverage(config.emaDecay());
    try (Model model = Model.newInstance("unet3d", engineName)) {
      model.setBlock(network);
      NDManager manager = model.getNDManager();
      synchronized (WEIGHT_INITIALISATION) {
        OfflinePyTorch.engine().setRandomSeed((int) seed);
        network.initialize(manager, DataType.FLOAT32, network.inputShape(1, UNet3d.networkAxes(config.patchSize())));
      }
      TrainingState state = begin(start, network, optimizer, average, manager);
      if (state.stoppedEarly() || state.epochsDone() >= config.epochs()) {
        progress.accept(label + ": nothing to do, the run ended after epoch " + state.epochsDone());
        return outcome(state);
      }
      enableGradients(network);
      try (PatchLoader loader = new PatchLoader(sampleSource(trainCases), state.epochsDone(), config.loaderThreads(),
              2 * Math.max(config.loaderThreads(), config.batchSize()));
          Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator())) {
        return outcome(run(state, network, optimizer, average, manager, loader, predictor, valCases));
      } finally {
        optimizer.close();
        average.close();
      }
    }
  }

  private TrainingState begin(Start start, UNet3d network, AdamW optimizer, WeightAverage average, NDManager manager) {
    if (start instanceof Start.InitFrom init) {
      Checkpoint.loadParameters(Checkpoint.parametersFile(init.parameters()), network, manager);
    } else if (start instanceof Start.Resume) {
      TrainingState saved = Checkpoint.read(ModelFolder.last(dir), network, optimizer, average, manager);
      if (saved.seed() != seed) {
        throw new IllegalArgumentException("checkpoint " + ModelFolder.last(dir) + " was trained with seed " + saved.seed()
            + ", not " + seed);
      }
      progress.accept(label + ": resuming after epoch " + saved.epochsDone() + " (update " + saved.updates() + ")");
      return saved;
    }
    return TrainingState.start(seed);
  }

  private TrainingState run(TrainingState initial, UNet3d network, AdamW optimizer, WeightAverage average, NDManager manager,
      PatchLoader loader, Predictor<NDList, NDList> predictor, List<TrainingCase> valCases) {
    Loss loss = config.loss().build();
    Validation validation = new Validation(config.valPatchSize(), config.valOverlap());
    ParameterStore parameterStore = new ParameterStore(manager, false);
    long runStart = System.nanoTime();
    int iterationsThisRun = 0;
    int totalIterations = config.plannedIterations();
    TrainingState state = initial;
    while (state.epochsDone() < config.epochs() && !state.stoppedEarly() && !stopRequested) {
      int epoch = state.epochsDone() + 1;
      long epochStart = System.nanoTime();
      Duration waitedBefore = loader.waitTime();
      float epochLearningRate = optimizer.learningRate();
      double lossSum = 0;
      int updates = 0;
      for (int iteration = 1; iteration <= config.iterationsPerEpoch(); iteration++) {
        List<TrainingSample> batch = take(loader, config.batchSize());
        float value = step(network, parameterStore, optimizer, average, manager, loss, batch);
        if (Float.isNaN(value)) {
          consecutiveSkips++;
          progress.accept(String.format("%s: epoch %d iteration %d: non-finite gradient on patches of %s, update skipped",
              label, epoch, iteration, caseIds(batch)));
          if (consecutiveSkips >= MAX_CONSECUTIVE_SKIPPED_UPDATES) {
            throw new IllegalStateException("training diverged: " + consecutiveSkips
                + " updates in a row had non-finite gradients (last on patches of " + caseIds(batch) + "); lower the learning rate");
          }
        } else {
          consecutiveSkips = 0;
          lossSum += value;
          updates++;
        }
        iterationsThisRun++;
        if (iteration % Math.max(1, config.iterationsPerEpoch() / PROGRESS_LINES_PER_EPOCH) == 0) {
          double perIteration = (System.nanoTime() - runStart) / 1e9 / iterationsThisRun;
          int remaining = totalIterations - optimizer.updates();
          progress.accept(String.format("%s: epoch %d/%d iteration %d/%d loss %.4f lr %.3g ETA %s", label, epoch,
              config.epochs(), iteration, config.iterationsPerEpoch(), value, optimizer.learningRate(),
              duration(perIteration * remaining)));
        }
      }
      boolean validate = epoch % config.validateEvery() == 0 || epoch == config.epochs();
      double trainLoss = lossSum / Math.max(1, updates);
      TrainingState before = state;
      state = average.withAveraged(network.getParameters(), trainingWeights -> {
        Double valDice = validate ? validation.meanDice(predictor, valCases) : null;
        double seconds = (System.nanoTime() - epochStart) / 1e9;
        double waited = loader.waitTime().minus(waitedBefore).toNanos() / 1e9;
        EpochRecord epochRecord = new EpochRecord(epoch, trainLoss, valDice, epochLearningRate, seconds, waited / seconds);
        TrainingState after = before.after(epochRecord, optimizer.updates(), config.patience());
        Checkpoint.write(ModelFolder.last(dir), network, optimizer, trainingWeights, after);
        if (after.lastEpochIsBest()) {
          Checkpoint.write(ModelFolder.best(dir), network, optimizer, trainingWeights, after);
        }
        return after;
      });
      EpochRecord record = state.history().get(state.history().size() - 1);
      TrainingLog.write(dir, label + " (" + config.name() + ")", state.history());
      progress.accept(String.format("%s: epoch %d/%d done, loss %.4f%s, %.1f s, data wait %.0f%%%s", label, epoch,
          config.epochs(), record.trainLoss(), record.valDice() == null ? "" : String.format(", val Dice %.4f (best %.4f at epoch %d)",
              record.valDice(), state.bestDice(), state.bestEpoch()), record.seconds(), 100 * record.dataWaitFraction(),
          state.stoppedEarly() ? ", early stop" : ""));
    }
    return state;
  }

  /**
   * One forward/backward pass and optimizer update; returns the loss, or NaN when the gradients
   * were not finite and the update was skipped (as torch's GradScaler skips such steps): at batch
   * 1 an almost constant patch can make instance norm amplify gradients past float range.
   */
  private static float step(UNet3d network, ParameterStore parameterStore, AdamW optimizer, WeightAverage average,
      NDManager manager, Loss loss, List<TrainingSample> batch) {
    try (NDScope iteration = new NDScope()) {
      NDArray image = stack(manager, batch, TrainingSample::image, batch.get(0).imageShape());
      NDArray label = stack(manager, batch, TrainingSample::label, batch.get(0).labelShape());
      float value;
      try (Autograd recording = Autograd.recording()) {
        NDArray logits = network.forward(parameterStore, new NDList(image), true).singletonOrThrow();
        NDArray lossValue = loss.evaluate(new NDList(label), new NDList(logits));
        Autograd.backward(lossValue);
        value = lossValue.getFloat();
      }
      double gradientNorm = GradientClipping.clip(network.getParameters(), GradientClipping.DEFAULT_MAX_NORM);
      if (!Float.isFinite(value) || !Double.isFinite(gradientNorm)) {
        GradientClipping.discard(network.getParameters());
        return Float.NaN;
      }
      optimizer.update(network.getParameters());
      average.update(network.getParameters(), optimizer.updates());
      return value;
    }
  }

  private TrainingSampleSource sampleSource(List<TrainingCase> trainCases) {
    int[] patch = config.patchSize();
    PatchSampler sampler = new PatchSampler(new PatchSize(patch[0], patch[1], patch[2]), config.foregroundRatio());
    PatchAugmenter augmenter = new PatchAugmenter(config.augmentation());
    return new TrainingSampleSource(trainCases, sampler, augmenter, seed, config.samplesPerEpoch());
  }

  /** Loaded parameters are new arrays that do not yet record gradients. */
  private static void enableGradients(UNet3d network) {
    for (Pair<String, Parameter> parameter : network.getParameters()) {
      if (parameter.getValue().requiresGradient()) {
        parameter.getValue().getArray().setRequiresGradient(true);
      }
    }
  }

  private static List<TrainingSample> take(PatchLoader loader, int batchSize) {
    List<TrainingSample> batch = new ArrayList<>(batchSize);
    try {
      while (batch.size() < batchSize) {
        batch.add(loader.take());
      }
      return batch;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("training interrupted while waiting for a patch", e);
    }
  }

  /** The batch's arrays of one kind as one (N, ...) array; every sample has {@code sampleShape}. */
  private static NDArray stack(NDManager manager, List<TrainingSample> batch, Function<TrainingSample, float[]> data,
      long[] sampleShape) {
    int sampleSize = data.apply(batch.get(0)).length;
    float[] stacked = new float[batch.size() * sampleSize];
    for (int n = 0; n < batch.size(); n++) {
      System.arraycopy(data.apply(batch.get(n)), 0, stacked, n * sampleSize, sampleSize);
    }
    return manager.create(stacked, new Shape(batch.size()).addAll(new Shape(sampleShape)));
  }

  private static String caseIds(List<TrainingSample> batch) {
    return batch.stream().map(TrainingSample::caseId).collect(Collectors.joining(", "));
  }

  private static Outcome outcome(TrainingState state) {
    return new Outcome(state.epochsDone(), state.bestDice(), state.bestEpoch(), state.stoppedEarly());
  }

  private static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600 ? String.format("%dh%02dm", s / 3600, s % 3600 / 60) : String.format("%dm%02ds", s / 60, s % 60);
  }
}

package org.isles.model.unet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import org.isles.model.OfflinePyTorch;
import org.isles.model.loss.DiceBceLoss;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * With a sub-manager per iteration, training and inference leave nothing behind in the model's
 * manager: its native array count is the same after every iteration. Batch 1 uses the
 * instance-norm parameters as they are, batch 2 tiles them per sample.
 */
class UNet3dMemoryTest {
  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void trainingIterationsAndPredictionsKeepTheModelsArrayCountConstant(int batch) throws TranslateException {
    Shape input = new Shape(batch, 2, 8, 8, 8);
    Shape label = new Shape(batch, 1, 8, 8, 8);
    try (Model model = OfflinePyTorch.newModel("unet")) {
      model.setBlock(UNet3d.builder().setBaseChannels(2).optDepth(2).build());
      DefaultTrainingConfig config = new DefaultTrainingConfig(new DiceBceLoss())
          .optOptimizer(Optimizer.adamW().optLearningRateTracker(Tracker.fixed(1e-3f)).build());
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(input);
        trainIteration(trainer, input, label);  // the optimizer creates its moment arrays on the first step
        int afterFirst = model.getNDManager().getManagedArrays().size();
        trainIteration(trainer, input, label);
        trainIteration(trainer, input, label);
        assertEquals(afterFirst, model.getNDManager().getManagedArrays().size(), "arrays left by training");
      }
      int beforePredicting = model.getNDManager().getManagedArrays().size();
      try (Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator());
          NDManager manager = OfflinePyTorch.newBaseManager()) {
        for (int i = 0; i < 2; i++) {
          try (NDManager window = manager.newSubManager()) {
            predictor.predict(new NDList(window.randomNormal(input)));
          }
        }
      }
      assertEquals(beforePredicting, model.getNDManager().getManagedArrays().size(), "arrays left by inference");
    }
  }

  private static void trainIteration(Trainer trainer, Shape inputShape, Shape labelShape) {
    try (NDManager iteration = trainer.getManager().newSubManager()) {
      NDList input = new NDList(iteration.randomNormal(inputShape));
      NDList label = new NDList(iteration.randomUniform(0, 1, labelShape).lt(0.2).toType(DataType.FLOAT32, false));
      try (GradientCollector collector = trainer.newGradientCollector()) {
        collector.backward(trainer.getLoss().evaluate(label, trainer.forward(input)));
      }
      trainer.step();
    }
  }
}

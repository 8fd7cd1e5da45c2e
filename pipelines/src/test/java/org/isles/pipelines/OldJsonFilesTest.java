package org.isles.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.isles.dataset.Manifest;
import org.isles.dataset.ProcessedStore;
import org.isles.io.Json;
import org.isles.model.run.TrainedRun;
import org.isles.pipelines.train.TrainedModel;
import org.isles.preprocess.CasePreprocessor;
import org.isles.preprocess.PreprocessingSettings;
import org.isles.schemas.CaseRecord;
import org.isles.split.CrossValidationSplit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files written before the snake_case rule, hand-written here as that code wrote them (camelCase
 * record keys), still read: a finished job's outcome.json (what {@code isles train --resume}
 * reads to skip it), splits.json, manifest.json and a processed case's case.json. And what is
 * written now is snake_case.
 */
class OldJsonFilesTest {
  @TempDir Path dir;

  @Test
  void outcomeOfAJobFinishedBeforeTheRuleReads() throws Exception {
    Path file = Files.writeString(dir.resolve("outcome.json"), """
        {
          "fold" : 0,
          "seed" : 1,
          "dir" : "/runs/demo/fold_0/seed_1",
          "epochsDone" : 30,
          "bestDice" : 0.625,
          "bestEpoch" : 27,
          "stoppedEarly" : true,
          "startedMillis" : 1000,
          "finishedMillis" : 2000
        }
        """);
    TrainedModel model = new TrainedModel(0, 1, "/runs/demo/fold_0/seed_1", 30, 0.625, 27, true, 1000, 2000);
    assertEquals(model, Json.read(file, TrainedModel.class));
    String now = Json.toString(model);
    assertTrue(now.contains("\"epochs_done\" : 30") && now.contains("\"best_dice\" : 0.625") && now.contains("\"finished_millis\""), now);
  }

  @Test
  void splitsWrittenBeforeTheRuleRead() throws Exception {
    Path file = Files.writeString(dir.resolve("splits.json"), """
        {
          "seed" : 7,
          "testFraction" : 0.2,
          "rule" : "strata",
          "test" : [ "sub-strokecase0005" ],
          "folds" : [ { "fold" : 0, "train" : [ "sub-strokecase0001" ], "val" : [ "sub-strokecase0002" ] } ]
        }
        """);
    CrossValidationSplit split = CrossValidationSplit.read(file);
    assertEquals(0.2, split.testFraction());
    assertEquals(List.of("sub-strokecase0002"), split.fold(0).val());
    assertEquals(List.of("sub-strokecase0005"), TrainedRun.testCasesOf(file));
    assertTrue(Json.toString(split).contains("\"test_fraction\" : 0.2"));
  }

  @Test
  void manifestWrittenBeforeTheRuleReads() throws Exception {
    Path file = Files.writeString(dir.resolve("manifest.json"), """
        {
          "root" : "/data",
          "validCases" : 1,
          "invalidCases" : 0,
          "cases" : [ {
            "caseId" : "sub-strokecase0001",
            "dwiPath" : "/data/dwi.nii.gz",
            "adcPath" : "/data/adc.nii.gz",
            "flairPath" : null,
            "maskPath" : "/data/msk.nii.gz",
            "shape" : [ 4, 5, 6 ],
            "spacing" : [ 1.0, 1.0, 2.0 ],
            "orientation" : "RAS",
            "valid" : true,
            "invalidReason" : null
          } ]
        }
        """);
    CaseRecord record = CaseRecord.newBuilder().setCaseId("sub-strokecase0001").setDwiPath("/data/dwi.nii.gz")
        .setAdcPath("/data/adc.nii.gz").setFlairPath(null).setMaskPath("/data/msk.nii.gz").setShape(List.of(4, 5, 6))
        .setSpacing(List.of(1.0, 1.0, 2.0)).setOrientation("RAS").setValid(true).setInvalidReason(null).build();
    Manifest manifest = Manifest.read(file);
    assertEquals(new Manifest("/data", List.of(record)), manifest);
    assertTrue(manifest.toJson().contains("\"case_id\" : \"sub-strokecase0001\"") && manifest.toJson().contains("\"valid_cases\""));
  }

  /** The preprocessing block was snake_case already; the case block beside it had the Avro names. */
  @Test
  void processedCaseWrittenBeforeTheRuleGivesItsSettings() throws Exception {
    ProcessedStore store = new ProcessedStore(dir);
    Files.createDirectories(store.caseDir("sub-strokecase0001"));
    Files.writeString(store.caseJson("sub-strokecase0001"), """
        {
          "case" : { "caseId" : "sub-strokecase0001", "brainVoxels" : 1200, "normalization" : [ { "channel" : "dwi", "clip_low" : 1.5 } ] },
          "mask_rule" : "nonzero",
          "preprocessing" : {
            "spacing_mm" : [ 2.0, 2.0, 2.0 ],
            "max_zoom_mm" : null,
            "channels" : [ "dwi", "adc" ],
            "crop_margin_voxels" : 2,
            "image_interpolation" : "cubic B-spline (scipy order 3, prefilter, mode mirror)",
            "label_interpolation" : "nearest",
            "normalization" : "per channel on the brain: clip to 0.5/99.5 percentiles, z-score; background 0"
          }
        }
        """);
    assertEquals(PreprocessingSettings.spacing(2, 2, 2), CasePreprocessor.readSettings(store, "sub-strokecase0001"));
  }
}

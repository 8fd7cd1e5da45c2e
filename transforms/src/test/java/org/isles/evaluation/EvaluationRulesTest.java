package org.isles.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import org.isles.io.Json;
import org.isles.postprocess.ComponentScore;
import org.junit.jupiter.api.Test;

class EvaluationRulesTest {
  private static final EvaluationRules RULES =
      new EvaluationRules(true, new double[] {0.1, 0.4}, 5, 3, ComponentScore.MEAN, 0.6, new double[] {2, 20}, 2.5);

  @Test
  void defaultsAreTheReferenceEvaluation() {
    JsonNode json = Json.MAPPER.valueToTree(EvaluationRules.defaults().toJson());
    assertEquals("included", json.get("empty_gt").asText());
    assertEquals(25, json.get("thresholds").size());
    assertEquals(0.5, json.at("/thresholds/24").asDouble());
    assertEquals("none", json.at("/post_processing/cc_score").asText());
    assertEquals(0, json.at("/post_processing/min_size_voxels").asInt());
    assertEquals(10.0, json.at("/size_buckets_ml/1").asDouble());
    assertEquals(3.0, json.get("slice_spacing_thr_mm").asDouble());
  }

  @Test
  void bucketEdgesBelongToTheUpperBucket() {
    assertEquals("thin", RULES.sliceBucket(2.49));
    assertEquals("thick", RULES.sliceBucket(2.5));
    assertEquals(EvaluationRules.EMPTY, RULES.sizeBucket(0, 0.0));
    assertEquals("small", RULES.sizeBucket(10, 1.99));
    assertEquals("medium", RULES.sizeBucket(10, 2.0));
    assertEquals("medium", RULES.sizeBucket(10, 19.99));
    assertEquals("large", RULES.sizeBucket(10, 20.0));
  }

  @Test
  void readsBackWhatItWrites() throws Exception {
    JsonNode json = Json.MAPPER.valueToTree(RULES.toJson());
    EvaluationRules read = EvaluationRules.fromJson(Json.MAPPER.treeToValue(json, Summary.Rules.class));
    assertEquals(RULES.excludeEmptyGt(), read.excludeEmptyGt());
    assertArrayEquals(RULES.thresholds(), read.thresholds(), 0.0);
    assertEquals(RULES.postProcessing(), read.postProcessing());
    assertArrayEquals(RULES.sizeBucketsMl(), read.sizeBucketsMl(), 0.0);
    assertEquals(RULES.sliceSpacingThresholdMm(), read.sliceSpacingThresholdMm(), 0.0);
    assertEquals("mean_prob", json.at("/post_processing/cc_score").asText());
  }

  @Test
  void refusesUnknownScoresBadBucketsAndThresholds() {
    assertThrows(IllegalArgumentException.class, () -> EvaluationRules.parseCcScore("median_prob"));
    assertThrows(IllegalArgumentException.class,
        () -> new EvaluationRules(false, new double[] {0.5}, 0, 0, ComponentScore.NONE, 0, new double[] {10, 1}, 3.0));
    assertThrows(IllegalArgumentException.class,
        () -> new EvaluationRules(false, new double[] {0.5}, -1, 0, ComponentScore.NONE, 0, new double[] {1, 10}, 3.0));
    assertThrows(IllegalArgumentException.class,
        () -> new EvaluationRules(false, new double[] {0.0, 0.5}, 0, 0, ComponentScore.NONE, 0, new double[] {1, 10}, 3.0));
  }
}

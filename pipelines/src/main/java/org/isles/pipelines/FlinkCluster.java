package org.isles.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.isles.io.Json;

/**
 * A Flink session cluster as its JobManager's REST API shows it ({@code host:port}, the address
 * given to {@code --flink-master}): how many task slots it has, and a running job's Beam counters.
 */
public final class FlinkCluster {
  /** The flinkMaster values that mean "no cluster: Flink in this JVM". */
  private static final Set<String> EMBEDDED = Set.of("[local]", "[auto]", "[collection]");
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final String master;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  private FlinkCluster(String master) {
    this.master = master;
  }

  /** The cluster at {@code flinkMaster}, or null when it names Flink embedded in this JVM. */
  public static FlinkCluster at(String flinkMaster) {
    return EMBEDDED.contains(flinkMaster) ? null : new FlinkCluster(flinkMaster);
  }

  /** Task slots: all the TaskManagers offer, and those not taken by running jobs. */
  public record Slots(int total, int free) {}

  public Slots slots() {
    JsonNode overview = get("/overview");
    return new Slots(overview.path("slots-total").asInt(), overview.path("slots-available").asInt());
  }

  /**
   * The parallelism to submit with: the one asked for, or the free slots (all slots when none is
   * free) when 0. A parallelism above the cluster's slots would wait for slots that never come,
   * so it fails here, at once.
   */
  public int parallelism(int requested) {
    Slots slots = slots();
    if (slots.total() == 0) {
      throw new IllegalStateException("Flink cluster at " + master + " has no TaskManager (0 task slots); start one first");
    }
    if (requested > slots.total()) {
      throw new IllegalArgumentException("--parallelism " + requested + " cannot be served: the Flink cluster at " + master + " has "
          + slots.total() + " task slots (" + slots.free() + " free); use --parallelism " + slots.total() + " or less, or add TaskManagers");
    }
    return requested > 0 ? requested : (slots.free() > 0 ? slots.free() : slots.total());
  }

  /**
   * A Beam counter of the newest job of that name, summed over its vertices and subtasks, from
   * the Flink metrics Beam's operators publish (as {@code <step>.<namespace>_<name>}) when a bundle
   * ends; -1 while the job or the metric is not there yet.
   */
  public long counter(String jobName, String namespace, String name) {
    JsonNode newest = null;
    for (JsonNode job : get("/jobs/overview").path("jobs")) {
      if (job.path("name").asText().equals(jobName)
          && (newest == null || job.path("start-time").asLong() > newest.path("start-time").asLong())) {
        newest = job;
      }
    }
    if (newest == null) {
      return -1;
    }
    String job = "/jobs/" + newest.path("jid").asText();
    String suffix = "." + namespace + "_" + name;
    long sum = -1;
    for (JsonNode vertex : get(job).path("vertices")) {
      String metrics = job + "/vertices/" + vertex.path("id").asText() + "/subtasks/metrics";
      for (JsonNode metric : get(metrics)) {
        String id = metric.path("id").asText();
        if (id.endsWith(suffix)) {
          for (JsonNode value : get(metrics + "?agg=sum&get=" + URLEncoder.encode(id, StandardCharsets.UTF_8))) {
            sum = Math.max(sum, 0) + value.path("sum").asLong();
          }
        }
      }
    }
    return sum;
  }

  private JsonNode get(String path) {
    URI uri = URI.create((master.contains("://") ? master : "http://" + master) + path);
    try {
      HttpResponse<String> response =
          http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("Flink JobManager " + uri + " answered HTTP " + response.statusCode());
      }
      return Json.MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("no Flink JobManager answers at " + uri + " (--flink-master " + master + "): " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while asking " + uri, e);
    }
  }
}

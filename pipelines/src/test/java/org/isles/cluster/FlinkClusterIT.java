package org.isles.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.isles.cli.IslesCli;
import org.isles.io.Json;
import org.isles.pipelines.RunLayout;
import org.isles.pipelines.TinyTraining;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every stage on a real Flink session cluster, started as the README says: {@code scripts/flink-cluster}
 * with one JobManager and two TaskManagers of one slot each, separate JVMs on loopback, and each
 * stage submitted by {@code java -jar isles.jar ... --runner FlinkRunner --flink-master HOST:PORT}
 * as a user would. The cluster's outputs must be byte-identical to the Direct runner's, and a
 * TaskManager killed with SIGKILL during predict must cost nothing but a re-run of its tasks.
 * Runs after {@code package} (Failsafe), because the cluster and the driver run the shaded jar.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FlinkClusterIT {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Path JAR = ROOT.resolve("pipelines/target/isles.jar");
  private static final Path SCRIPT = ROOT.resolve("scripts/flink-cluster");
  private static final int CASES = 8;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path dir;
  static Path state;
  static String master;
  static Path input;
  static Path splits;
  static Path config;

  @BeforeAll
  static void startClusterAndRunDirect() throws Exception {
    state = dir.resolve("flink");
    int restPort = freePortPair();
    // Stopped by @AfterAll, and by this hook should the test JVM die first.
    Runtime.getRuntime().addShutdownHook(new Thread(FlinkClusterIT::stopCluster));
    Process start = script("start", "--taskmanagers", "2", "--slots", "1", "--rest-port", "" + restPort, "--state-dir", state.toString());
    master = new String(start.getInputStream().readAllBytes()).strip();
    assertTrue(start.waitFor(3, TimeUnit.MINUTES) && start.exitValue() == 0, "cluster started: " + Files.readString(state.resolve("start.err")));
    assertEquals("127.0.0.1:" + restPort, master);

    input = dir.resolve("synth");
    splits = dir.resolve("splits.json");
    config = Files.writeString(dir.resolve("tiny.yaml"), TinyTraining.CONFIG);
    assertEquals(0, IslesCli.execute("synth", "--out", input.toString(), "--cases", "" + CASES, "--seed", "3", "--size", "0.3"));
    Path direct = dir.resolve("direct");
    assertEquals(0, IslesCli.execute("preprocess", "--input", input.toString(), "--out", direct.resolve("processed").toString(),
        "--spacing", "4,4,4"));
    assertEquals(0, IslesCli.execute("split", "--processed", direct.resolve("processed").toString(), "--out", splits.toString(),
        "--folds", "2", "--test-fraction", "0.25", "--seed", "1"));
    assertEquals(0, IslesCli.execute(trainArgs(direct)));
    assertEquals(0, IslesCli.execute(predictArgs(direct, direct.resolve("predictions"))));
    assertEquals(0, IslesCli.execute(evaluateArgs(direct)));
  }

  @AfterAll
  static void stopCluster() {
    if (state != null && Files.isDirectory(state)) {
      try {
        script("stop", "--state-dir", state.toString()).waitFor(2, TimeUnit.MINUTES);
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException("could not stop the test cluster in " + state, e);
      }
    }
  }

  @Test
  @Order(1)
  void aParallelismAboveTheClustersSlotsFailsAtOnceNamingThem() throws Exception {
    Isles run = isles("preprocess", "--input", input.toString(), "--out", dir.resolve("too-wide").toString(), "--spacing", "4,4,4",
        "--runner", "FlinkRunner", "--flink-master", master, "--parallelism", "3");
    assertEquals(2, run.exitCode(), run.err());
    assertEquals(List.of("isles preprocess: error: --parallelism 3 cannot be served: the Flink cluster at " + master
        + " has 2 task slots (2 free); use --parallelism 2 or less, or add TaskManagers"), run.err().lines().toList());
    assertTrue(!Files.exists(dir.resolve("too-wide").resolve("failures.json")), "nothing was submitted");
  }

  @Test
  @Order(2)
  void everyStageRunsOnTheClusterAndWritesWhatTheDirectRunnerWrites() throws Exception {
    Path direct = dir.resolve("direct");
    Path cluster = dir.resolve("cluster");
    Isles preprocess = isles("preprocess", "--input", input.toString(), "--out", cluster.resolve("processed").toString(),
        "--spacing", "4,4,4", "--runner", "FlinkRunner", "--flink-master", master);
    assertEquals(0, preprocess.exitCode(), preprocess.err());
    assertTrue(preprocess.err().lines().anyMatch(l -> l.matches("preprocess: " + CASES + "/" + CASES + " cases, 0 failed, .*")),
        "progress from the cluster's metrics: " + preprocess.err());
    assertSameFiles(direct.resolve("processed"), cluster.resolve("processed"));

    Isles train = isles(withFlink(trainArgs(cluster)));
    assertEquals(0, train.exitCode(), train.err());
    assertTwoTrainingJobsRanAtOnceOnDifferentTaskManagers(cluster.resolve("run"));

    Isles predict = isles(withFlink(predictArgs(cluster, cluster.resolve("predictions"))));
    assertEquals(0, predict.exitCode(), predict.err());
    assertSameFiles(direct.resolve("predictions"), cluster.resolve("predictions"));

    // The Direct run's predictions (identical, as just checked), so the paths the evaluation records are the same too.
    Isles evaluate = isles(withFlink(new String[] {"evaluate", "--probs-dir", direct.resolve("predictions").toString(),
        "--gt", input.toString(), "--out-dir", cluster.resolve("eval").toString()}));
    assertEquals(0, evaluate.exitCode(), evaluate.err());
    assertTrue(evaluate.err().contains("evaluate: " + CASES + "/" + CASES + " cases, 0 failed"), evaluate.err());
    assertSameFiles(direct.resolve("eval"), cluster.resolve("eval"));
  }

  @Test
  @Order(3)
  void aTaskManagerKilledDuringPredictCostsOnlyItsTasks() throws Exception {
    Path out = dir.resolve("killed").resolve("predictions");
    Path run = dir.resolve("direct").resolve("run");
    String[] args = withFlink(new String[] {"predict", "--run", run.toString(), "--input", input.toString(), "--out", out.toString(),
        "--cases", "all", "--threads", "1"});
    Process predict = islesProcess(dir.resolve("killed"), args);
    // Kill one TaskManager once the job runs and has written its first case, so that cases are
    // both finished and in flight on the victim.
    long deadline = System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(3);
    while (!(jobRunning("isles-predict") && written(out) > 0) && predict.isAlive() && System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
    }
    int writtenBeforeKill = written(out);
    assertTrue(predict.isAlive() && writtenBeforeKill < CASES, "predict was still running when the TaskManager died (" + writtenBeforeKill + " written)");
    long victim = Long.parseLong(Files.readString(state.resolve("taskmanager-1.pid")).strip());
    new ProcessBuilder("kill", "-9", "" + victim).inheritIO().start().waitFor();

    assertTrue(predict.waitFor(5, TimeUnit.MINUTES), "predict finished after the TaskManager was killed");
    String err = Files.readString(dir.resolve("killed").resolve("isles.err"));
    assertEquals(0, predict.exitValue(), err);
    assertTrue(restarts("isles-predict") > 0, "Flink restarted the lost TaskManager's tasks");
    assertSameFiles(dir.resolve("direct").resolve("predictions"), out);
    assertEquals(List.of(), Json.read(out.resolve("failures.json"), List.class));
  }

  // ---- the cluster's own account of the train job ----

  /** Both models trained at the same time (their own clocks), in subtasks on two TaskManagers (the JobManager's record). */
  private static void assertTwoTrainingJobsRanAtOnceOnDifferentTaskManagers(Path run) throws Exception {
    List<?> summary = Json.read(RunLayout.trainingSummary(run), List.class);
    assertEquals(2, summary.size());
    Map<?, ?> first = (Map<?, ?>) summary.get(0);
    Map<?, ?> second = (Map<?, ?>) summary.get(1);
    assertTrue(millis(first, "started_millis") < millis(second, "finished_millis")
        && millis(second, "started_millis") < millis(first, "finished_millis"), "the two models trained at the same time: " + summary);
    JsonNode job = rest("/jobs/" + newestJob("isles-train").path("jid").asText());
    JsonNode trainVertex = null;
    for (JsonNode vertex : job.path("vertices")) {
      if (vertex.path("name").asText().contains("TrainModel")) {
        trainVertex = vertex;
      }
    }
    assertTrue(trainVertex != null, "a vertex trains the models: " + job);
    JsonNode subtasks = rest("/jobs/" + job.path("jid").asText() + "/vertices/" + trainVertex.path("id").asText()).path("subtasks");
    assertEquals(2, subtasks.size(), subtasks.toString());
    assertNotEquals(subtasks.get(0).path("taskmanager-id").asText(), subtasks.get(1).path("taskmanager-id").asText(),
        "the two subtasks ran on different TaskManagers: " + subtasks);
    System.out.println("train subtasks (TaskManager, start, end): " + subtasks);
  }

  private static long millis(Map<?, ?> model, String key) {
    return ((Number) model.get(key)).longValue();
  }

  private static boolean jobRunning(String name) throws IOException, InterruptedException {
    JsonNode job = newestJob(name);
    return job != null && job.path("state").asText().equals("RUNNING");
  }

  /** Failures Flink recovered from in the newest job of that name. */
  private static int restarts(String name) throws IOException, InterruptedException {
    return rest("/jobs/" + newestJob(name).path("jid").asText() + "/exceptions").path("exceptionHistory").path("entries").size();
  }

  private static JsonNode newestJob(String name) throws IOException, InterruptedException {
    JsonNode newest = null;
    for (JsonNode job : rest("/jobs/overview").path("jobs")) {
      if (job.path("name").asText().equals(name) && (newest == null || job.path("start-time").asLong() > newest.path("start-time").asLong())) {
        newest = job;
      }
    }
    return newest;
  }

  private static JsonNode rest(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(HttpRequest.newBuilder(URI.create("http://" + master + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    return Json.MAPPER.readTree(response.body());
  }

  // ---- outputs ----

  private static int written(Path predictions) throws IOException {
    if (!Files.isDirectory(predictions)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(predictions)) {
      return (int) files.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(".nii.gz")
          && !f.getFileName().toString().startsWith(".")).count();
    }
  }

  /** Same relative file names, same bytes, and no temporary file left anywhere. */
  private static void assertSameFiles(Path expected, Path actual) throws IOException {
    List<String> want = files(expected);
    List<String> got = files(actual);
    assertEquals(want, got, "the same files in " + actual + " as in " + expected);
    assertTrue(got.stream().noneMatch(f -> Path.of(f).getFileName().toString().startsWith(".")), "no temporary files: " + got);
    for (String file : want) {
      if (file.endsWith(".avro")) {
        // An Avro container's header ends in a random sync marker: the records are what must agree.
        assertEquals(avroRecords(expected.resolve(file)), avroRecords(actual.resolve(file)), file + " differs");
      } else {
        assertArrayEquals(Files.readAllBytes(expected.resolve(file)), Files.readAllBytes(actual.resolve(file)), file + " differs");
      }
    }
  }

  private static List<String> avroRecords(Path file) throws IOException {
    List<String> records = new ArrayList<>();
    try (DataFileReader<GenericRecord> reader = new DataFileReader<>(file.toFile(), new GenericDatumReader<>())) {
      reader.forEach(record -> records.add(record.toString()));
    }
    assertTrue(!records.isEmpty(), file + " has records");
    return records;
  }

  private static List<String> files(Path root) throws IOException {
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      files.filter(Files::isRegularFile).map(f -> root.relativize(f).toString()).filter(f -> !f.equals("prediction.json")).sorted()
          .forEach(names::add);
    }
    return names;
  }

  // ---- commands ----

  private static String[] trainArgs(Path base) {
    return new String[] {"train", "--config", config.toString(), "--processed", base.resolve("processed").toString(),
        "--splits", splits.toString(), "--out", base.resolve("run").toString(), "--folds", "0,1", "--seeds", "0"};
  }

  private static String[] predictArgs(Path base, Path out) {
    return new String[] {"predict", "--run", base.resolve("run").toString(), "--input", input.toString(), "--out", out.toString(),
        "--cases", "all", "--threads", "1"};
  }

  private static String[] evaluateArgs(Path base) {
    return new String[] {"evaluate", "--probs-dir", base.resolve("predictions").toString(), "--gt", input.toString(),
        "--out-dir", base.resolve("eval").toString()};
  }

  private static String[] withFlink(String[] args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--runner", "FlinkRunner", "--flink-master", master));
    return all.toArray(String[]::new);
  }

  record Isles(int exitCode, String err) {}

  /** One {@code java -jar isles.jar} driver, as a user runs it; its output goes to files in {@code workDir}. */
  private static Isles isles(String... args) throws IOException, InterruptedException {
    Path workDir = Files.createTempDirectory(dir, args[0]);
    Process process = islesProcess(workDir, args);
    assertTrue(process.waitFor(10, TimeUnit.MINUTES), "isles " + args[0] + " finished");
    String err = Files.readString(workDir.resolve("isles.err"));
    System.err.print(err);
    return new Isles(process.exitValue(), err);
  }

  private static Process islesProcess(Path workDir, String... args) throws IOException {
    Files.createDirectories(workDir);
    List<String> command = new ArrayList<>(List.of("java", "-Xmx2g", "-jar", JAR.toString()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).directory(workDir.toFile())
        .redirectOutput(workDir.resolve("isles.out").toFile()).redirectError(workDir.resolve("isles.err").toFile()).start();
  }

  private static Process script(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
    command.addAll(List.of(args));
    Files.createDirectories(state);
    return new ProcessBuilder(command).redirectError(state.resolve(args[0] + ".err").toFile()).start();
  }

  /** A free loopback port whose successor (the JobManager's RPC port) is free too. */
  private static int freePortPair() throws IOException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    for (int attempt = 0; attempt < 50; attempt++) {
      try (ServerSocket rest = new ServerSocket(0, 1, loopback); ServerSocket rpc = new ServerSocket(rest.getLocalPort() + 1, 1, loopback)) {
        return rest.getLocalPort();
      } catch (IOException taken) {
        // the successor is in use: try another
      }
    }
    throw new IOException("no two consecutive free ports on " + loopback);
  }
}

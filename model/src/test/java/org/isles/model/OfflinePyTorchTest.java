package org.isles.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Loading the engine through {@link OfflinePyTorch} makes no network attempt; plain DJL does. */
class OfflinePyTorchTest {
  @Test
  void engineLoadsWithoutAnyNetworkAttempt() throws Exception {
    assertEquals(List.of(), probe("offline"));
  }

  @Test
  void controlPlainDjlIsCaughtReachingForTheNetwork() throws Exception {
    List<String> attempts = probe("plain");
    assertTrue(attempts.stream().anyMatch(uri -> uri.contains("169.254.169.254")), "recorded: " + attempts);
  }

  /** Runs {@link NetworkProbe} in a fresh JVM (DJL's engine state is per JVM) and returns its URIs. */
  private static List<String> probe(String mode) throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        NetworkProbe.class.getName(), mode);
    builder.environment().keySet().removeAll(List.of("DJL_OFFLINE", "OPT_OUT_TRACKING"));
    builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(2, TimeUnit.MINUTES), "network probe did not finish");
    assertEquals(0, process.exitValue(), "network probe failed in mode " + mode);
    return out.lines().filter(line -> !line.isBlank()).toList();
  }
}

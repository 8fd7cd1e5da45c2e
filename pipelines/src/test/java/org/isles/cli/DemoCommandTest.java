package org.isles.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What the demo hands on to isles run. */
class DemoCommandTest {
  private static List<String> runArguments(String... demoArgs) {
    DemoCommand demo = new DemoCommand();
    new CommandLine(demo).parseArgs(demoArgs);
    return demo.runArguments(Path.of("d/data"), Path.of("d/cpu-demo.yaml"));
  }

  @Test
  void handsItsTestTimeMirroringOnToTheRun() {
    assertEquals(List.of("run", "--config", "d/cpu-demo.yaml", "--input", "d/data", "--out", Path.of("demo", "run").toString(),
        "--folds", "0", "--tta", "flip"), runArguments());
    assertEquals(List.of("run", "--config", "d/cpu-demo.yaml", "--input", "d/data", "--out", Path.of("x", "run").toString(),
        "--folds", "0,1", "--tta", "full"), runArguments("--out", "x", "--folds", "0,1", "--tta", "full"));
  }
}

package org.isles.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.isles.pipelines.RunLayout;
import org.isles.report.HtmlReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "report-html",
    mixinStandardHelpOptions = true,
    description = {
      "One self-contained HTML page about a run directory: evaluation summary, threshold sweep,",
      "training curves, per-case table, and overlays of the best and worst cases. Missing parts",
      "are noted in the page."
    })
final class HtmlReportCommand implements Callable<Integer> {
  @Option(names = "--run-dir", required = true, description = "Run directory (eval/, predictions/, runs/ or train/, run.json).")
  Path runDir;

  @Option(names = "--out", description = "HTML file (default: RUN_DIR/report.html); its PNGs go to <name>_files/ beside it.")
  Path out;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    OptionChecks.of(spec).outputFile("--out", out);
    run(runDir, out != null ? out : new RunLayout(runDir).report());
    return 0;
  }

  /** Writes the report of {@code runDir} to {@code page}, printing its notes. */
  static void run(Path runDir, Path page) {
    List<String> notes = HtmlReport.write(runDir, page);
    notes.forEach(note -> System.out.println("note: " + note));
    System.out.printf("report written to %s (%d notes)%n", page, notes.size());
  }
}

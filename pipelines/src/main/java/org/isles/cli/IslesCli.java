package org.isles.cli;

import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code isles} command. Every subcommand prints a one-line error and exits non-zero on bad
 * input; {@code --verbose} adds the stack trace. A bad option value, whether picocli cannot parse
 * it or {@link OptionChecks} refuses it at the start of a command, exits with status 2 before
 * any work starts.
 */
@Command(
    name = "isles",
    mixinStandardHelpOptions = true,
    version = "isles 0.1.0",
    description = "ISLES 2022 stroke-lesion segmentation with a 3D U-Net on Apache Beam.",
    subcommands = {
      CommandLine.HelpCommand.class,
      DemoCommand.class,
      RunCommand.class,
      PreprocessCommand.class,
      ReportCommand.class,
      SynthCommand.class,
      ManifestCommand.class,
      SplitCommand.class,
      TrainCommand.class,
      NiftiCommand.class,
      PredictCommand.class,
      ImportCommand.class,
      ExportCommand.class,
      EvaluateCommand.class,
      CompareCommand.class,
      HistoryCommand.class,
      AnalyzeCommand.class,
      HtmlReportCommand.class,
    })
public final class IslesCli {
  /** Exit status of a command that stopped on an error (a bad option value or a failure it could not go on from). */
  static final int ERROR = 2;

  @Option(names = "--verbose", description = "Print stack traces with errors.", scope = CommandLine.ScopeType.INHERIT)
  boolean verbose;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the CLI and returns its exit code; tests call this instead of {@link #main}. */
  public static int execute(String... args) {
    boolean verbose = Arrays.asList(args).contains("--verbose");
    CommandLine cli = new CommandLine(new IslesCli());
    // bad or missing option values, from picocli's parser or from OptionChecks: one line, exit status 2
    cli.setParameterExceptionHandler(
        (e, arguments) -> {
          CommandLine commandLine = e.getCommandLine();
          commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": error: " + oneLine(e));
          if (verbose) {
            e.printStackTrace(commandLine.getErr());
          }
          return commandLine.getCommandSpec().exitCodeOnInvalidInput();
        });
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine.getErr().println(errorLine(commandLine.getCommandName(), e));
          if (verbose) {
            e.printStackTrace(commandLine.getErr());
          }
          return ERROR;
        });
    return cli.execute(args);
  }

  /** "isles COMMAND: error: MESSAGE" on one line, with the message of the first cause that has one. */
  static String errorLine(String command, Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getMessage() == null) {
      cause = cause.getCause();
    }
    return "isles " + command + ": error: " + oneLine(cause);
  }

  private static String oneLine(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.replace('\n', ' ');
  }
}

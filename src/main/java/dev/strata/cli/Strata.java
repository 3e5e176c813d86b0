package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.io.EmbeddingFiles;
import dev.strata.io.NpyReader;
import java.io.PrintWriter;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `strata` command line: one subcommand per task, one line per error. */
@Command(
        name = "strata",
        mixinStandardHelpOptions = true,
        version = "strata 0.1.0",
        description =
                "Balanced curation of embedding streams: hierarchical k-means with resampling, on Flink and Kafka.",
        subcommands = {
            GenerateCommand.class,
            BootstrapCommand.class,
            SelectCommand.class,
            InspectCommand.class,
            DriftCommand.class,
            ReportCommand.class,
        })
public final class Strata implements Runnable {

    /** Exit code for problems the user can fix (bad flag, bad file). */
    public static final int USAGE_ERROR = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests drive it with their own out/err writers. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Strata());
        cl.addSubcommand(new KafkaCommand());
        cl.addSubcommand(new ProduceCommand(EmbeddingFiles::read, NpyReader::readLabels));
        cl.addSubcommand(new ExportCommand());
        cl.addSubcommand(new CarryOverCommand());
        cl.addSubcommand(new CurateCommand());
        cl.addSubcommand(new DemoCommand());
        cl.addSubcommand(new ClusterCommand());
        cl.addSubcommand(new SubmitCommand());
        cl.addSubcommand(new SavepointCommand());
        cl.addSubcommand(new StopCommand());
        // the benchmarks are not part of the product: present only when strata-bench.jar is
        for (CommandSet extra : ServiceLoader.load(CommandSet.class)) {
            extra.commands().forEach(cl::addSubcommand);
        }
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            PrintWriter err = cmd.getErr();
            err.println(cmd.getCommandSpec().qualifiedName() + ": " + firstLine(ex.getMessage()) + " (see '"
                    + cmd.getCommandSpec().qualifiedName() + " --help')");
            err.flush();
            return USAGE_ERROR;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            if (ex instanceof StrataException) {
                err.println(cmd.getCommandSpec().qualifiedName() + ": " + firstLine(ex.getMessage()));
                err.flush();
                return USAGE_ERROR;
            }
            throw ex;
        });
        return cl;
    }

    private static String firstLine(String s) {
        return s == null ? "unknown error" : s.lines().findFirst().orElse(s);
    }
}

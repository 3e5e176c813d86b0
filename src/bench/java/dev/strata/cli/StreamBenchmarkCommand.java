package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.bench.StreamingBenchmark;
import dev.strata.records.WireFormat;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "benchmark-stream",
        mixinStandardHelpOptions = true,
        description =
                "Measure the streaming job end to end on 768-d records and a 10,000-leaf model: produce once, read "
                        + "with a plain consumer, then run the bounded job per beam width; prints rates and recall side by side. "
                        + "Results on stdout, progress on stderr.")
public final class StreamBenchmarkCommand implements Callable<Integer> {
    @Option(
            names = "--bootstrap-servers",
            description = "Kafka. Default: start or reuse the local broker on 127.0.0.1:9092.")
    String bootstrapServers;

    @Option(
            names = "--model",
            description = "Model file from AssignBenchmark; built and saved there when missing. "
                    + "Default: build one for this run (about 3 minutes).")
    Path model;

    @Option(names = "--records", defaultValue = "200000", description = "Records to stream. Default: ${DEFAULT-VALUE}.")
    int records;

    @Option(
            names = "--format",
            defaultValue = "f32",
            description = "Wire formats to measure: f32, json or f32,json. " + "Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--beams", defaultValue = "0,2", description = "Beam widths, 0 = exact. Default: ${DEFAULT-VALUE}.")
    String beams;

    @Option(
            names = "--assign-batch",
            description = "Rows per assignment batch (the job's assignBatch); a list runs "
                    + "each beam once per value. Default: the job's default.")
    String assignBatches;

    @Option(
            names = "--assign-max-delay-ms",
            description = "Longest a row waits for its assignment batch to fill (the job's assignMaxDelayMs). "
                    + "Default: the job's default.")
    Long assignMaxDelayMs;

    @Option(
            names = "--parallelism",
            defaultValue = "1",
            description = "The job's parallelism. Default: ${DEFAULT-VALUE}: on two cores one subtask's assign worker, "
                    + "admission and Kafka fetcher already use both (docs/benchmarks.md).")
    int parallelism;

    @Option(
            names = "--recall-rows",
            defaultValue = "4096",
            description = "Rows for recall vs exact. Default: ${DEFAULT-VALUE}.")
    int recallRows;

    @Option(
            names = "--keep-fraction",
            defaultValue = "0.1",
            description = "Share of the records the job keeps. " + "Default: ${DEFAULT-VALUE}.")
    double keepFraction;

    @Option(names = "--checkpoint-interval-ms", defaultValue = "5000", description = "Default: ${DEFAULT-VALUE}.")
    long checkpointMillis;

    @Option(
            names = "--window",
            description = "Run the job with budgets per window of this length in event time (quota.window, e.g. 1h), "
                    + "T and V per window as for the whole run. Default: one horizon.")
    String window;

    @Option(
            names = "--beam-slack",
            defaultValue = "0",
            description = "The job's beamSlack for every beam > 0: drop beam clusters more than (1 + S) times the "
                    + "nearest's squared distance. Default: ${DEFAULT-VALUE} (the whole beam).")
    double beamSlack;

    @Override
    public Integer call() throws Exception {
        List<WireFormat> formats = new ArrayList<>();
        for (String f : format.split(",")) {
            try {
                formats.add(WireFormat.parse(f));
            } catch (IllegalArgumentException e) {
                throw new StrataException("--format takes f32, json or both (f32,json), got " + format);
            }
        }
        StreamingBenchmark.run(
                new PrintStream(System.out, true),
                new StreamingBenchmark.Options(
                        bootstrapServers,
                        model,
                        records,
                        formats,
                        Lists.ints("--beams", beams),
                        assignBatches == null
                                ? List.of(StreamingBenchmark.Options.defaultAssignBatch())
                                : Lists.ints("--assign-batch", assignBatches),
                        parallelism,
                        recallRows,
                        keepFraction,
                        checkpointMillis,
                        assignMaxDelayMs == null
                                ? StreamingBenchmark.Options.defaultAssignMaxDelayMs()
                                : assignMaxDelayMs,
                        window,
                        beamSlack));
        return 0;
    }
}

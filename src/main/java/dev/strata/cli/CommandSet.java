package dev.strata.cli;

import java.util.List;

/**
 * Commands that live outside the product jar and join the command line when their jar is on the
 * class path (found with {@link java.util.ServiceLoader}): the benchmarks, built from src/bench
 * into strata-bench.jar, which the `strata` launcher adds when it is there.
 */
public interface CommandSet {
    /** New picocli command objects, one per subcommand. */
    List<Object> commands();
}

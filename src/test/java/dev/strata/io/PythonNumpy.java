package dev.strata.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a script in the machine's python3 with numpy, the reader our .npy/.npz files are made for. */
public final class PythonNumpy {
    /** Why a test that needs it is skipped: the one thing to install. */
    public static final String MISSING =
            "python3 with numpy is not on this machine (python3 -c 'import numpy' failed); "
                    + "install it (apt-get install python3-numpy) to run the numpy round trip";

    private PythonNumpy() {}

    /** True when {@code python3 -c 'import numpy'} succeeds. */
    public static boolean available() {
        try {
            return run("import numpy").exit == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** What a script printed and its exit code. */
    public record Result(int exit, String out, String err) {}

    /** Runs {@code python3 -c script args...}; the script reads its arguments from sys.argv[1:]. */
    public static Result run(String script, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("python3", "-c", script));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        try {
            // generous: numpy's import alone takes seconds on a loaded machine; only a hung
            // interpreter gets near this
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("python3 did not finish within 120 s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while python3 ran", e);
        }
        return new Result(
                p.exitValue(),
                new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}

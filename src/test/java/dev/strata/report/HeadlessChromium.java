package dev.strata.report;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The machine's Chromium (Debian's {@code chromium}; .ci/run installs it) run headless on a local
 * file, with a fresh profile and everything that would reach the network switched off.
 */
final class HeadlessChromium {
    /** Why a browser test is skipped: what to install. */
    static final String MISSING =
            "no Chromium on this machine (looked for $STRATA_CHROMIUM, chromium, chromium-browser, "
                    + "google-chrome on PATH); install it (apt-get install chromium, as .ci/run does) to render the report";

    private final Path binary;

    private HeadlessChromium(Path binary) {
        this.binary = binary;
    }

    static Optional<HeadlessChromium> find() {
        String env = System.getenv("STRATA_CHROMIUM");
        if (env != null && Files.isExecutable(Path.of(env))) {
            return Optional.of(new HeadlessChromium(Path.of(env)));
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String name : List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")) {
            for (String dir : path.split(File.pathSeparator)) {
                Path p = Path.of(dir, name);
                if (!dir.isEmpty() && Files.isExecutable(p)) {
                    return Optional.of(new HeadlessChromium(p));
                }
            }
        }
        return Optional.empty();
    }

    /** The DOM after the page was parsed and laid out, as Chromium serialises it. */
    String dumpDom(Path page, Path work) throws IOException {
        return run(page, work, List.of("--dump-dom"));
    }

    /** A PNG of the page's first {@code width x height} pixels. */
    void screenshot(Path page, Path png, int width, int height, Path work) throws IOException {
        run(page, work, List.of("--hide-scrollbars", "--window-size=" + width + "," + height, "--screenshot=" + png));
        if (!Files.isRegularFile(png)) {
            throw new IOException("Chromium wrote no screenshot to " + png);
        }
    }

    private String run(Path page, Path work, List<String> action) throws IOException {
        Path profile = Files.createTempDirectory(work, "chromium-profile-");
        List<String> cmd = new ArrayList<>(List.of(
                binary.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + profile));
        cmd.addAll(action);
        cmd.add(page.toUri().toString());
        Path log = work.resolve("chromium-" + System.nanoTime() + ".log");
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        try {
            // only a hung browser gets near this; a loaded machine takes 10 to 20 s
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("Chromium did not finish within 180 s; its log: " + log);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while Chromium ran", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException("Chromium exited with " + p.exitValue() + ": " + Files.readString(log));
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}

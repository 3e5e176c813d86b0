package dev.strata.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * CPU time per thread of this JVM over one job run, grouped by what the thread does, plus the
 * whole machine's busy time: where a record's CPU goes, measured rather than sampled (a JFR
 * profile samples a few threads per tick, which under-counts a busy task next to many others).
 * Flink's task threads end with the job, so they are read every {@value #PERIOD_MILLIS} ms and
 * the last reading counts. The JVM's time outside its Java threads (garbage collection, the JIT)
 * and the machine's time outside the JVM (the local broker) come out as differences.
 */
final class ThreadCpuMeter implements AutoCloseable {
    private static final long PERIOD_MILLIS = 100;
    /** A task's "(1/2)#0" and thread numbers, so a group sums the subtasks and pool threads of one kind. */
    private static final Pattern NUMBERS = Pattern.compile("\\s*\\(\\d+/\\d+\\)(#\\d+)?|[-#]\\d+$|\\d+$");
    /** The input topic in a source task's name: every run has its own. */
    private static final Pattern SOURCE = Pattern.compile("Source: Source \\S+");

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> atStart = new HashMap<>();
    private final Map<Long, Long> last = new HashMap<>();
    private final Map<Long, String> names = new HashMap<>();
    private final Thread sampler;
    private final long machineBusyAtStart;
    private final long processAtStart;
    private final long gcMillisAtStart;
    private final long jitMillisAtStart;
    private volatile boolean running = true;

    ThreadCpuMeter() {
        for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t != null) {
                long cpu = threads.getThreadCpuTime(t.getThreadId());
                if (cpu >= 0) {
                    atStart.put(t.getThreadId(), cpu);
                }
            }
        }
        machineBusyAtStart = machineBusyNanos();
        processAtStart = processCpuNanos();
        gcMillisAtStart = gcMillis();
        jitMillisAtStart = jitMillis();
        sampler = new Thread(this::sampleUntilClosed, "thread-cpu-meter");
        sampler.setDaemon(true);
        sampler.start();
    }

    private void sampleUntilClosed() {
        while (running) {
            sample();
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void sample() {
        for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t == null) {
                continue;
            }
            long cpu = threads.getThreadCpuTime(t.getThreadId());
            if (cpu >= 0) {
                last.put(t.getThreadId(), cpu);
                names.put(t.getThreadId(), t.getThreadName());
            }
        }
    }

    /** What the run used: per thread group, the JVM's other time, and the rest of the machine. */
    /**
     * gcMillis: the collectors' accumulated collection time (wall time, spent by all GC threads at
     * once); jitMillis: the JIT compilers' accumulated compilation time.
     */
    record Usage(
            Map<String, Long> byGroup,
            long jvmOtherNanos,
            long machineOtherNanos,
            long machineBusyNanos,
            long gcMillis,
            long jitMillis) {}

    Usage stop() {
        running = false;
        sampler.interrupt();
        try {
            sampler.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sample();
        long process = processCpuNanos() - processAtStart;
        long machine = machineBusyNanos() - machineBusyAtStart;
        Map<String, Long> byGroup = new HashMap<>();
        long threadsTotal = 0;
        synchronized (this) {
            for (Map.Entry<Long, Long> e : last.entrySet()) {
                if (e.getKey() == sampler.getId()) {
                    continue;
                }
                long used = e.getValue() - atStart.getOrDefault(e.getKey(), 0L);
                if (used > 0) {
                    byGroup.merge(group(names.get(e.getKey())), used, Long::sum);
                    threadsTotal += used;
                }
            }
        }
        Map<String, Long> sorted = new LinkedHashMap<>();
        byGroup.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return new Usage(
                sorted,
                Math.max(0, process - threadsTotal),
                machine < 0 ? -1 : Math.max(0, machine - process),
                machine,
                gcMillis() - gcMillisAtStart,
                jitMillis() - jitMillisAtStart);
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }

    static String group(String threadName) {
        if (threadName.startsWith("Source Data Fetcher for ")) {
            return "Kafka source fetcher";
        }
        String g = SOURCE.matcher(NUMBERS.matcher(threadName).replaceAll(""))
                .replaceAll("Source")
                .trim();
        // Flink names a chained task after all of its operators; the first two say which it is
        int arrows = g.indexOf(" -> ", g.indexOf(" -> ") + 1);
        return arrows > 0 ? g.substring(0, arrows) + " -> ..." : g;
    }

    private static long gcMillis() {
        long sum = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, gc.getCollectionTime());
        }
        return sum;
    }

    private static long jitMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Busy time of all CPUs from /proc/stat (user + nice + system + irq + softirq + steal), or -1 off Linux. */
    private static long machineBusyNanos() {
        try {
            String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = first.trim().split("\\s+");
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += Long.parseLong(f[i]);
            }
            return busy * (1_000_000_000L / 100); // USER_HZ is 100 on Linux
        } catch (Exception e) {
            return -1;
        }
    }
}

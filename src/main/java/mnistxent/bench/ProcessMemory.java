package mnistxent.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Resident memory of a process from Linux's {@code /proc/<pid>/status}: {@code VmRSS} (now) and
 * {@code VmHWM} (the peak, "high water mark"). Empty where /proc is not available.
 */
public final class ProcessMemory {

    private ProcessMemory() {
    }

    /** Current resident set size in bytes. */
    public static OptionalLong rss(long pid) {
        return field(pid, "VmRSS:");
    }

    /** Peak resident set size in bytes. */
    public static OptionalLong peakRss(long pid) {
        return field(pid, "VmHWM:");
    }

    public static OptionalLong selfPeakRss() {
        return peakRss(ProcessHandle.current().pid());
    }

    private static OptionalLong field(long pid, String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(name)) {
                    String[] parts = line.substring(name.length()).trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024);   // the kernel reports kB
                }
            }
        } catch (IOException | RuntimeException e) {
            // process gone, or no /proc: no reading
        }
        return OptionalLong.empty();
    }
}

package io.atrium.policy.observability;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * What every deployable's start-up line says about its process: its version, the JDK, and its heap — with where the
 * heap limit came from, because a JVM started without one takes a quarter of the machine's memory (6 GiB on a 24 GiB
 * host) and a proxy under load grows into it.
 *
 * @param version     the deployable's version (its jar's {@code Implementation-Version}; {@code dev} from classes)
 * @param java        the running JDK's version
 * @param heapMaxMiB  the heap's limit in MiB
 * @param heapSource  {@code flag} (-Xmx, -XX:MaxHeapSize, -XX:MaxRAM…) or {@code jvm-default}
 */
public record ProcessFacts(String version, String java, long heapMaxMiB, String heapSource) {

    /** Above this, a heap nobody chose is worth a warning: every Atrium deployable runs in 384 MiB. */
    public static final long DEFAULT_HEAP_WARNING_MIB = 1024;

    public static ProcessFacts of(Class<?> deployable) {
        String version = deployable.getPackage() == null ? null : deployable.getPackage().getImplementationVersion();
        return new ProcessFacts(version == null ? "dev" : version, Runtime.version().toString(),
                Runtime.getRuntime().maxMemory() / (1024 * 1024),
                heapFlagGiven(ManagementFactory.getRuntimeMXBean().getInputArguments()) ? "flag" : "jvm-default");
    }

    static boolean heapFlagGiven(List<String> jvmArguments) {
        for (String argument : jvmArguments) {
            if (argument.startsWith("-Xmx") || argument.startsWith("-XX:MaxHeapSize=")
                    || argument.startsWith("-XX:MaxRAM") || argument.startsWith("-XX:MaxRAMPercentage=")) {
                return true;
            }
        }
        return false;
    }

    /** {@code version=… java=… heap_max_mib=… heap_source=…}: the fields a start-up line appends. */
    public String logFields() {
        return "version=" + version + " java=" + java + " heap_max_mib=" + heapMaxMiB + " heap_source=" + heapSource;
    }

    /** True when the heap is the JVM's default and large: the start-up log then says how to set one. */
    public boolean heapWorthAWarning() {
        return "jvm-default".equals(heapSource) && heapMaxMiB > DEFAULT_HEAP_WARNING_MIB;
    }

    /** The warning's text (one line, no stack trace). */
    public String heapWarning() {
        return "event=heap_default heap_max_mib=" + heapMaxMiB + " hint=\"no heap limit given, so the JVM may grow to a"
                + " quarter of this machine's memory under load; start with -Xmx384m (what ./atrium uses) or, in a container"
                + " with a memory limit, -XX:MaxRAMPercentage=75\"";
    }
}

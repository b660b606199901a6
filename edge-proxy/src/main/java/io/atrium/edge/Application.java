package io.atrium.edge;

import io.atrium.edge.config.EdgeConfigException;
import io.micronaut.context.exceptions.BeanInstantiationException;
import io.micronaut.runtime.Micronaut;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public final class Application {

    private static final Logger LOG = LoggerFactory.getLogger(Application.class);

    private Application() {
    }

    /**
     * Netty's production settings for the data path, unless the operator sets them: no leak-detection sampling (a
     * sampled buffer records a stack trace; ~1 µs per request on average) and no bounds/reference-count checks on
     * every buffer access (~1.5 µs per request together in {@code bench/edge/profile.sh}). The tests run the edge with
     * Netty's defaults (they do not start through this method), so leaks and use-after-release still fail them.
     */
    private static final String[][] NETTY_DEFAULTS = {
            {"io.netty.leakDetection.level", "disabled"},
            {"io.netty.buffer.checkBounds", "false"},
            {"io.netty.buffer.checkAccessible", "false"},
    };

    public static void main(String[] args) {
        applyNettyDefaults();
        Micronaut.build(args)
                .mainClass(Application.class)
                .banner(false)
                .mapError(BeanInstantiationException.class, Application::exitCode)
                .start();
    }

    /** Sets each of {@link #NETTY_DEFAULTS} the operator left unset (before any Netty class reads it). */
    static void applyNettyDefaults() {
        for (String[] property : NETTY_DEFAULTS) {
            if (System.getProperty(property[0]) == null) {
                System.setProperty(property[0], property[1]);
            }
        }
    }

    /**
     * An invalid route file is an expected start-up failure, reported without a stack trace (Micronaut would log one):
     * on a terminal one error per line, each with its key's path; elsewhere (log files, containers) one structured
     * line. Anything else keeps Micronaut's full report.
     */
    private static int exitCode(BeanInstantiationException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof EdgeConfigException invalid) {
                java.io.Console console = System.console();
                if (console != null && console.isTerminal()) {
                    System.err.print(terminalReport(invalid));
                    System.err.flush();
                } else {
                    LOG.error("event=edge_start_failed reason=invalid_config errors={} detail=\"{}\"", invalid.errors().size(), invalid.getMessage());
                }
                Runtime.getRuntime().halt(2);
            }
        }
        return 1;
    }

    /** The errors of an invalid route file for a person at a terminal: a heading, then one error per line. */
    static String terminalReport(EdgeConfigException invalid) {
        StringBuilder out = new StringBuilder();
        int count = invalid.errors().size();
        out.append("atrium edge: the route file is invalid (").append(count).append(count == 1 ? " error" : " errors")
                .append("); nothing was started:\n");
        for (String error : invalid.errors()) {
            out.append("  - ").append(error).append('\n');
        }
        return out.toString();
    }
}

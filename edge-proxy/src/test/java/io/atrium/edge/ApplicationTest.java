package io.atrium.edge;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

import static org.assertj.core.api.Assertions.assertThat;

class ApplicationTest {

    private static final String LEAKS = "io.netty.leakDetection.level";
    private static final String ACCESSIBLE = "io.netty.buffer.checkAccessible";
    private static final String BOUNDS = "io.netty.buffer.checkBounds";

    @Test
    @ResourceLock(Resources.SYSTEM_PROPERTIES)
    void nettyProductionDefaultsFillOnlyWhatTheOperatorLeftUnset() {
        String[] before = {System.getProperty(LEAKS), System.getProperty(ACCESSIBLE), System.getProperty(BOUNDS)};
        try {
            System.setProperty(LEAKS, "paranoid");
            System.clearProperty(ACCESSIBLE);
            System.clearProperty(BOUNDS);

            Application.applyNettyDefaults();

            assertThat(System.getProperty(LEAKS)).isEqualTo("paranoid");
            assertThat(System.getProperty(ACCESSIBLE)).isEqualTo("false");
            assertThat(System.getProperty(BOUNDS)).isEqualTo("false");
        } finally {
            restore(LEAKS, before[0]);
            restore(ACCESSIBLE, before[1]);
            restore(BOUNDS, before[2]);
        }
    }

    @Test
    void invalidRouteFilesAreReportedOneErrorPerLineWithTheirPaths() {
        io.atrium.edge.config.EdgeConfigException invalid = new io.atrium.edge.config.EdgeConfigException("routes.yaml",
                java.util.List.of("routes[0].cluster: unknown cluster 'x'", "clusters.a.endpoints: required key is missing"));

        assertThat(Application.terminalReport(invalid)).isEqualTo("""
                atrium edge: the route file is invalid (2 errors); nothing was started:
                  - routes.yaml: routes[0].cluster: unknown cluster 'x'
                  - routes.yaml: clusters.a.endpoints: required key is missing
                """);
    }

    private static void restore(String name, String value) {
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }
}

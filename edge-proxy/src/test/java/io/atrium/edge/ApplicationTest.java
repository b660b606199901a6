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

    private static void restore(String name, String value) {
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }
}

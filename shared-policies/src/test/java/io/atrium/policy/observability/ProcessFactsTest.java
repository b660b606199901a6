package io.atrium.policy.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessFactsTest {

    @Test
    void heapFlagsAreRecognisedWhateverTheirForm() {
        assertTrue(ProcessFacts.heapFlagGiven(List.of("-Xms64m", "-Xmx384m")));
        assertTrue(ProcessFacts.heapFlagGiven(List.of("-XX:MaxRAMPercentage=50")));
        assertTrue(ProcessFacts.heapFlagGiven(List.of("-XX:MaxHeapSize=268435456")));
        assertFalse(ProcessFacts.heapFlagGiven(List.of("-Xms64m", "-XX:+UseSerialGC")));
    }

    @Test
    void onlyALargeDefaultHeapIsWorthAWarning() {
        assertTrue(new ProcessFacts("1", "25", 6000, "jvm-default").heapWorthAWarning());
        assertFalse(new ProcessFacts("1", "25", 6000, "flag").heapWorthAWarning());
        assertFalse(new ProcessFacts("1", "25", 512, "jvm-default").heapWorthAWarning());
        assertEquals("version=1 java=25 heap_max_mib=512 heap_source=flag",
                new ProcessFacts("1", "25", 512, "flag").logFields());
    }
}

package io.atrium.graphql.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CacheControlMergeTest {

    @ParameterizedTest(name = "{0} + {1} (errors or mutation: {2}) = {3}")
    @CsvSource(delimiter = '|', nullValues = "NONE", textBlock = """
            public, max-age=500 | public, max-age=300       | false | public, max-age=300
            public, max-age=500 | private, max-age=60       | false | private, max-age=60
            public, max-age=500 | max-age=100               | false | private, max-age=100
            public, max-age=500 | NONE                      | false | no-store
            public, max-age=500 | no-store                  | false | no-store
            public, max-age=500 | public, max-age=300       | true  | no-store
            public, max-age=60  | public, no-cache, max-age=600 | false | public, no-cache, max-age=60
            public, max-age=600, s-maxage=30 | public, max-age=300 | false | public, max-age=300, s-maxage=30
            private, max-age=0  | public, max-age=300       | false | private, max-age=0
            public              | public, max-age=300       | false | no-store
            public, max-age=60  | public, max-age=soon      | false | no-store
            public, max-age=60  | private="set-cookie", max-age=30 | false | private, max-age=30
            PUBLIC, MAX-AGE=60  | public, max-age=30        | false | public, max-age=30
            """)
    void mergesRestrictively(String a, String b, boolean errorsOrMutation, String expected) {
        assertThat(CacheControlMerge.merge(Arrays.asList(a, b), errorsOrMutation)).isEqualTo(expected);
    }

    @Test
    void anEmptyMergeIsNotCacheable() {
        CacheControlMerge.Accumulator merged = new CacheControlMerge.Accumulator();
        assertThat(merged.isEmpty()).isTrue();
        assertThat(merged.header(false)).isEqualTo("no-store");
        assertThat(CacheControlMerge.merge(List.of(), false)).isEqualTo("no-store");
    }

    @Test
    void aPersonalAnswerIsPrivateAtMostAndLosesItsSharedAge() {
        CacheControlMerge.Accumulator merged = new CacheControlMerge.Accumulator();
        merged.add("public, max-age=600, s-maxage=30");
        merged.add("public, max-age=300");
        assertThat(merged.header(false)).isEqualTo("public, max-age=300, s-maxage=30");
        assertThat(merged.header(true)).isEqualTo("private, max-age=300");
    }

    @Test
    void anUncacheablePartWinsWhateverComesAfter() {
        CacheControlMerge.Accumulator merged = new CacheControlMerge.Accumulator();
        merged.add("public, max-age=60");
        merged.addUncacheable();
        merged.add("public, max-age=30");
        assertThat(merged.isEmpty()).isFalse();
        assertThat(merged.header(false)).isEqualTo("no-store");
    }

    @Test
    void partsFromConcurrentFetchesAllCount() {
        CacheControlMerge.Accumulator merged = new CacheControlMerge.Accumulator();
        CompletableFuture.allOf(IntStream.rangeClosed(1, 200)
                .mapToObj(i -> CompletableFuture.runAsync(() -> merged.add("public, max-age=" + (1000 - i))))
                .toArray(CompletableFuture[]::new)).join();
        assertThat(merged.header(false)).isEqualTo("public, max-age=800");
    }
}

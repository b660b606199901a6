package io.atrium.graphql.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
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
            """)
    void mergesRestrictively(String a, String b, boolean errorsOrMutation, String expected) {
        assertThat(CacheControlMerge.merge(Arrays.asList(a, b), errorsOrMutation)).isEqualTo(expected);
    }
}

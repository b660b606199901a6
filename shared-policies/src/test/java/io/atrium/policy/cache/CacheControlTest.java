package io.atrium.policy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CacheControlTest {

    @Test
    void parsesDirectivesCaseInsensitivelyAcrossLines() {
        CacheControl cc = CacheControl.parse(List.of("Public, MAX-AGE=60", "s-maxage=\"30\", stale-if-error=120, must-revalidate"));
        assertThat(cc).isEqualTo(new CacheControl(false, false, false, true, true, false, 60, 30, 120));
    }

    @Test
    void commasInsideQuotedArgumentsDoNotSplitDirectives() {
        CacheControl cc = CacheControl.parse(List.of("private=\"Set-Cookie, X-Token\", max-age=5"));
        assertThat(cc.isPrivate()).isTrue();
        assertThat(cc.maxAge()).isEqualTo(5);
        assertThat(cc.noStore()).isFalse();
    }

    @Test
    void malformedOrRepeatedValuesAreReadStrictly() {
        assertThat(CacheControl.parse(List.of("max-age=abc")).maxAge()).isZero();
        assertThat(CacheControl.parse(List.of("max-age=")).maxAge()).isZero();
        assertThat(CacheControl.parse(List.of("max-age=60, max-age=10")).maxAge()).isEqualTo(10);
        assertThat(CacheControl.parse(List.of("max-age=99999999999999")).maxAge()).isEqualTo(Integer.MAX_VALUE);
        assertThat(CacheControl.parse(List.of(" , ,no-store,,")).noStore()).isTrue();
        assertThat(CacheControl.parse(List.of())).isSameAs(CacheControl.NONE);
    }
}

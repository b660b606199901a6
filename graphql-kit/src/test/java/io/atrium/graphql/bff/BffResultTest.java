package io.atrium.graphql.bff;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BffResultTest {
    private static BffResult body(String json) {
        return new BffResult(200, Map.of(), json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anErrorsKeyAnywhereMayMeanErrors() {
        assertThat(body("{\"errors\":[{\"message\":\"x\"}]}").mayHaveErrors()).isTrue();
        assertThat(body("{\"data\":{\"a\":1},\"errors\":[]}").mayHaveErrors()).isTrue();
        // conservative: a field of that name counts (the answer is then only not cached)
        assertThat(body("{\"data\":{\"errors\":2}}").mayHaveErrors()).isTrue();
        assertThat(body("").mayHaveErrors()).isTrue();
    }

    @Test
    void anAnswerWithoutThatKeyHasNone() {
        assertThat(body("{\"data\":{\"a\":\"errors\u00e9\",\"error\":1,\"errorsx\":2}}").mayHaveErrors()).isFalse();
        assertThat(body("\"errors").mayHaveErrors()).isFalse();
    }
}

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
    void aBodyKeptAsTheRoutersBuffersReadsAsItsBytesAndTravelsWithTheResult() {
        byte[] json = "{\"data\":{\"a\":1}}".getBytes(StandardCharsets.UTF_8);
        io.netty.buffer.ByteBuf wire = io.netty.buffer.Unpooled.directBuffer().writeBytes(json);
        BffResult result = new BffResult(200, Map.of(), new byte[0], "Op", wire);
        assertThat(result.body()).isEqualTo(json);
        assertThat(result.length()).isEqualTo(json.length);
        assertThat(result.mayHaveErrors()).isFalse();
        BffResult derived = result.withHeader("cache-control", "no-store").withOperation("Other");
        assertThat(derived.wire()).isSameAs(wire);
        assertThat(derived.body()).isEqualTo(json);
        assertThat(wire.readerIndex()).as("reading the bytes does not consume the buffer").isZero();
        wire.release();
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

    @Test
    void theSearchFindsTheKeyAtEveryOffsetAmongItsOwnBytesAndNearMisses() {
        java.util.Random random = new java.util.Random(42);
        String alphabet = "\"errosx{}:,[]a";
        for (int n = 0; n < 5000; n++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(40);
            for (int i = 0; i < length; i++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            if (random.nextBoolean()) {
                text.insert(random.nextInt(text.length() + 1), "\"errors\"");
            }
            String json = text.toString();
            assertThat(body(json).mayHaveErrors()).as(json).isEqualTo(json.isEmpty() || json.contains("\"errors\""));
        }
    }
}

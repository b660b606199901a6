package io.atrium.graphql.bff;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConditionalGetTest {
    private final ConditionalGet gets = new ConditionalGet(ConditionalGet.DEFAULT_MEMO_BYTES);

    private static BffResult answer(int status, String body) {
        return new BffResult(status, Map.of("content-type", "application/graphql-response+json",
                "cache-control", "private, max-age=30", "vary", "accept, Cookie"), body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aSuccessfulAnswerIsTaggedAndRevalidatesTo304() {
        BffResult first = gets.apply(null, answer(200, "{\"data\":{\"productPage\":{\"product\":{\"upc\":\"1\"}}}}"));
        String etag = first.headers().get("etag");
        assertThat(etag).matches("\"[0-9a-f]{64}\"");
        assertThat(first.headers()).containsEntry("vary", "accept, Cookie").containsEntry("cache-control", "private, max-age=30");

        BffResult again = gets.apply(etag, answer(200, "{\"data\":{\"productPage\":{\"product\":{\"upc\":\"1\"}}}}"));
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(again.headers()).containsEntry("etag", etag).containsEntry("vary", "accept, Cookie")
                .doesNotContainKey("content-type");

        BffResult changed = gets.apply(etag, answer(200, "{\"data\":{\"productPage\":{\"product\":{\"upc\":\"2\"}}}}"));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.headers().get("etag")).isNotEqualTo(etag);
    }

    @Test
    void weakTagsListsAndStarMatch() {
        assertThat(ConditionalGet.matches("W/\"abc\"", "\"abc\"")).isTrue();
        assertThat(ConditionalGet.matches("\"x\", \"abc\"", "\"abc\"")).isTrue();
        assertThat(ConditionalGet.matches("*", "\"abc\"")).isTrue();
        assertThat(ConditionalGet.matches("\"abd\"", "\"abc\"")).isFalse();
        assertThat(ConditionalGet.matches(null, "\"abc\"")).isFalse();
    }

    @Test
    void errorsAndRefusalsAreNeverTagged() {
        BffResult partial = gets.apply("*", answer(200, "{\"data\":{\"a\":null},\"errors\":[{\"message\":\"x\"}]}"));
        assertThat(partial.status()).isEqualTo(200);
        assertThat(partial.headers()).doesNotContainKey("etag");
        BffResult notFound = gets.apply("*", answer(200,
                "{\"errors\":[{\"message\":\"PersistedQueryNotFound\",\"extensions\":{\"code\":\"PERSISTED_QUERY_NOT_FOUND\"}}]}"));
        assertThat(notFound.headers()).doesNotContainKey("etag");
        assertThat(gets.apply("*", answer(400, "{\"errors\":[]}")).status()).isEqualTo(400);
    }

    @Test
    void rememberedTagsAreReusedOnlyForTheSameBytesAndMatchAFreshComputation() {
        ConditionalGet none = new ConditionalGet(0);
        String body = "{\"data\":{\"products\":[" + "{\"upc\":\"1\",\"name\":\"Table\"},".repeat(500) + "{}]}}";
        String etag = gets.etag(body.getBytes(StandardCharsets.UTF_8));
        // a new array with the same bytes: the remembered tag, equal to the one computed without a memo
        assertThat(gets.etag(body.getBytes(StandardCharsets.UTF_8))).isEqualTo(etag)
                .isEqualTo(none.etag(body.getBytes(StandardCharsets.UTF_8)));
        // same length, one byte different: a tag of its own
        String other = body.replaceFirst("Table", "Tablf");
        assertThat(gets.etag(other.getBytes(StandardCharsets.UTF_8))).isNotEqualTo(etag)
                .isEqualTo(none.etag(other.getBytes(StandardCharsets.UTF_8)));
        // same length and same CRC32C (the memo's key), other bytes: found unequal, tagged afresh
        byte[] collision = sameCrc32cOtherBytes(body.getBytes(StandardCharsets.UTF_8), 40);
        assertThat(collision).isNotEqualTo(body.getBytes(StandardCharsets.UTF_8));
        assertThat(gets.etag(collision)).isNotEqualTo(etag).isEqualTo(none.etag(collision.clone()));
        // an answer with errors is searched every time and never tagged, remembered or not
        byte[] withErrors = (body.substring(0, body.length() - 1) + ",\"errors\":[{\"message\":\"x\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(gets.etag(withErrors)).isNull();
        assertThat(gets.etag(withErrors)).isNull();
    }

    /**
     * {@code body} with some of the 40 bits from byte {@code at} on flipped so that its CRC32C is unchanged: CRC is
     * affine over GF(2), so 40 flips' effects on 32 CRC bits are linearly dependent; a dependent set cancels out.
     */
    private static byte[] sameCrc32cOtherBytes(byte[] body, int at) {
        long base = crc32c(body);
        long[] pivots = new long[32];
        long[] pivotFlips = new long[32];
        for (int i = 0; i < 40; i++) {
            byte[] flipped = body.clone();
            flipped[at + i / 8] ^= (byte) (1 << (i % 8));
            long effect = crc32c(flipped) ^ base;
            long flips = 1L << i;
            for (int bit = 31; bit >= 0 && effect != 0; bit--) {
                if ((effect >>> bit & 1) == 0) {
                    continue;
                }
                if (pivots[bit] == 0) {
                    pivots[bit] = effect;
                    pivotFlips[bit] = flips;
                    effect = -1; // kept as a pivot
                    break;
                }
                effect ^= pivots[bit];
                flips ^= pivotFlips[bit];
            }
            if (effect == 0) {
                byte[] out = body.clone();
                for (int j = 0; j < 40; j++) {
                    if ((flips >>> j & 1) != 0) {
                        out[at + j / 8] ^= (byte) (1 << (j % 8));
                    }
                }
                assertThat(crc32c(out)).isEqualTo(base);
                return out;
            }
        }
        throw new AssertionError("40 flips on 32 CRC bits are always dependent");
    }

    private static long crc32c(byte[] bytes) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes);
        return crc.getValue();
    }
}

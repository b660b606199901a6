package io.atrium.router.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    private static final byte[] DATA = "{\"a\":[1,\"x\\\"y\"],\"b\":null}".getBytes(StandardCharsets.UTF_8);

    /** What the generator writes for the same value: the reference for the raw-first fast path. */
    private static String generated(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Json.write(value, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Map<String, Object> body(Object data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("data", data);
        return body;
    }

    @Test
    void objectStartingWithRawJsonIsWrittenAsTheGeneratorWouldWriteIt() {
        Map<String, Object> body = body(new RawJson(DATA));
        assertThat(new String(Json.write(body), StandardCharsets.UTF_8))
                .isEqualTo(generated(body))
                .isEqualTo("{\"data\":{\"a\":[1,\"x\\\"y\"],\"b\":null}}");
    }

    @Test
    void membersAfterTheRawValueKeepTheirOrder() {
        Map<String, Object> body = body(new RawJson(DATA));
        body.put("errors", List.of(Map.of("message", "m\u00e9\n")));
        body.put("extensions", Map.of("queryPlan", "QueryPlan {}"));
        String written = new String(Json.write(body), StandardCharsets.UTF_8);
        assertThat(written).isEqualTo(generated(body));
        assertThat(Json.read(written)).isEqualTo(Json.read(generated(body)));
    }

    @Test
    void rawJsonMayUseOnlyAPrefixOfItsArray() {
        byte[] padded = new byte[DATA.length + 10];
        System.arraycopy(DATA, 0, padded, 0, DATA.length);
        RawJson raw = new RawJson(padded, DATA.length);
        assertThat(raw.byteLength()).isEqualTo(DATA.length);
        assertThat(raw.asUnquotedUTF8()).isEqualTo(DATA);
        assertThat(raw.getValue()).isEqualTo(new String(DATA, StandardCharsets.UTF_8));
        assertThat(new String(Json.write(body(raw)), StandardCharsets.UTF_8)).isEqualTo(generated(body(raw)));
        assertThat(new String(Json.write(List.of(raw)), StandardCharsets.UTF_8))
                .isEqualTo("[" + new String(DATA, StandardCharsets.UTF_8) + "]");
    }
}

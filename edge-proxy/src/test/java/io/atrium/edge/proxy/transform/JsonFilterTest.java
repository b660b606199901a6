package io.atrium.edge.proxy.transform;

import io.atrium.edge.config.TransformConfig;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonFilterTest {

    private static final String DOC = """
            {"id":7,"secret":"s","price":10.50,"big":12345678901234567890,"owner":{"name":"n","email":"e"},\
            "items":[{"id":1,"token":"t1","tags":["a"]},{"id":2,"token":"t2"}]}""";

    private static String filter(List<String> remove, List<String> allow, List<TransformConfig.Rename> rename, String json) {
        JsonFilter filter = JsonFilter.compile(new TransformConfig.Json(remove, allow, rename, 1024, TransformConfig.TooLarge.PASS));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        filter.filter(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), out);
        String whole = out.toString(StandardCharsets.UTF_8);
        // The same document fed one byte at a time (every token split across chunks) gives the same output.
        JsonFilter.Stream stream = filter.stream();
        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        for (byte b : json.getBytes(StandardCharsets.UTF_8)) {
            streamed.writeBytes(stream.feed(new byte[] {b}));
        }
        streamed.writeBytes(stream.finish());
        assertThat(streamed.toString(StandardCharsets.UTF_8)).as("streamed").isEqualTo(whole);
        return whole;
    }

    @Test
    void streamingEmitsOutputBeforeTheEndAndRejectsTruncatedOrRepeatedDocuments() {
        JsonFilter filter = JsonFilter.compile(new TransformConfig.Json(List.of("$[*].secret"), List.of(), List.of(), 1024,
                TransformConfig.TooLarge.PASS));
        JsonFilter.Stream stream = filter.stream();
        String first = new String(stream.feed("[{\"id\":1,\"secret\":\"x\"},".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        assertThat(first).isEqualTo("[{\"id\":1}");
        assertThat(new String(stream.feed("{\"id\":2}]".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8)).isEqualTo(",{\"id\":2}]");
        assertThat(stream.finish()).isEmpty();

        JsonFilter.Stream truncated = filter.stream();
        truncated.feed("[{\"id\":1}".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(truncated::finish).isInstanceOf(RuntimeException.class);
        JsonFilter.Stream repeated = filter.stream();
        assertThatThrownBy(() -> repeated.feed("[] []".getBytes(StandardCharsets.UTF_8))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> filter.stream().feed("{\"a\" 1}".getBytes(StandardCharsets.UTF_8))).isInstanceOf(JacksonException.class);
    }

    @Test
    void removesFieldsByPathIncludingInsideArraysAndKeepsNumbersExact() {
        assertThat(filter(List.of("$.secret", "$.items[*].token", "$.owner.email"), List.of(), List.of(), DOC)).isEqualTo("""
                {"id":7,"price":10.50,"big":12345678901234567890,"owner":{"name":"n"},\
                "items":[{"id":1,"tags":["a"]},{"id":2}]}""");
    }

    @Test
    void allowListKeepsOnlyListedFieldsAndWhatLeadsToThem() {
        assertThat(filter(List.of(), List.of("$.id", "$.items[*].id", "$.owner"), List.of(), DOC))
                .isEqualTo("{\"id\":7,\"owner\":{\"name\":\"n\",\"email\":\"e\"},\"items\":[{\"id\":1},{\"id\":2}]}");
        // A field step on an array applies to its elements; remove still works under an allowed field.
        assertThat(filter(List.of("$.owner.email"), List.of("$.items.id", "$.owner"), List.of(), DOC))
                .isEqualTo("{\"owner\":{\"name\":\"n\"},\"items\":[{\"id\":1},{\"id\":2}]}");
    }

    @Test
    void renamesFieldsInPlace() {
        assertThat(filter(List.of(), List.of(), List.of(new TransformConfig.Rename("$.id", "identifier"),
                new TransformConfig.Rename("$.items[*].token", "ref")), "{\"id\":1,\"items\":[{\"token\":\"x\"}],\"z\":null}"))
                .isEqualTo("{\"identifier\":1,\"items\":[{\"ref\":\"x\"}],\"z\":null}");
    }

    @Test
    void topLevelArraysAndScalarsWork() {
        assertThat(filter(List.of("$[*].token"), List.of(), List.of(), "[{\"id\":1,\"token\":\"a\"},{\"token\":\"b\"}]"))
                .isEqualTo("[{\"id\":1},{}]");
        assertThat(filter(List.of("$.a"), List.of(), List.of(), "\"text\"")).isEqualTo("\"text\"");
    }

    @Test
    void malformedOrTrailingInputFails() {
        assertThatThrownBy(() -> filter(List.of("$.a"), List.of(), List.of(), "{\"a\":1")).isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> filter(List.of("$.a"), List.of(), List.of(), "{} {}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> filter(List.of("$.a"), List.of(), List.of(), "")).isInstanceOf(IllegalArgumentException.class);
    }
}

package io.atrium.router.connector.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.router.connector.rest.selection.JsonSelection;
import io.atrium.router.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code $batch} shows representations without {@code __typename}, whether a selection reads a key or the whole. */
class BatchRepresentationTest {

    private static Map<String, Object> representation(String id) {
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("__typename", "User");
        rep.put("id", id);
        rep.put("region", null);
        return rep;
    }

    @Test
    void aKeyReadHidesTypenameAndKeepsNullFields() {
        Map<String, Object> batch = RestConnectorProvider.withoutTypename(representation("u1"));
        assertThat(batch.get("id")).isEqualTo("u1");
        assertThat(batch.get("__typename")).isNull();
        assertThat(batch.containsKey("__typename")).isFalse();
        assertThat(batch.containsKey("region")).isTrue();
        assertThat(JsonSelection.parse("ids: $batch.id").apply(Map.of(), Map.of("$batch",
                List.of(batch, RestConnectorProvider.withoutTypename(representation("u2"))))))
                .isEqualTo(Map.of("ids", List.of("u1", "u2")));
    }

    @Test
    void theWholeBatchInABodyCarriesNoTypename() {
        Map<String, Object> rep = representation("u1");
        Object body = JsonSelection.parse("$batch").apply(Map.of(),
                Map.of("$batch", List.of(RestConnectorProvider.withoutTypename(rep))));
        assertThat(new String(Json.write(body), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("[{\"id\":\"u1\",\"region\":null}]");
        assertThat(rep).containsKey("__typename"); // the router's representation is read, never changed
    }
}

package io.atrium.router.execute;

import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.router.json.Json;
import io.atrium.router.plan.PlanNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyRenamesTest {

    @Test
    @SuppressWarnings("unchecked")
    void renamesDeepestFirstThroughListsAndAliasedAncestors() {
        Map<String, Object> data = (Map<String, Object>) Json.read(("""
                {"parties":[{"id__alias_0":"c1","related":[{"id":"p1"},{"id__alias_0":"c2"}]},
                            {"id":"p2","related__alias_0":[{"id__alias_0":"c3"}]}]}""").getBytes());
        KeyRenames.apply(data, List.of(
                new PlanNode.KeyRename(List.of("parties", "related__alias_0"), "id__alias_0", "id"),
                new PlanNode.KeyRename(List.of("parties", "related"), "id__alias_0", "id"),
                new PlanNode.KeyRename(List.of("parties"), "related__alias_0", "related"),
                new PlanNode.KeyRename(List.of("parties"), "id__alias_0", "id")));
        assertThat(Json.writeString(data)).isEqualTo("{\"parties\":[{\"related\":[{\"id\":\"p1\"},{\"id\":\"c2\"}],\"id\":\"c1\"},"
                + "{\"id\":\"p2\",\"related\":[{\"id\":\"c3\"}]}]}");
    }

    @Test
    void clientKeyUndoesOnlyTheRoutersOwnAliases() {
        assertThat(PlanNode.KeyRename.clientKey("id__alias_0")).isEqualTo("id");
        assertThat(PlanNode.KeyRename.clientKey("name__alias_12")).isEqualTo("name");
        assertThat(PlanNode.KeyRename.clientKey("id__alias_")).isEqualTo("id__alias_");
        assertThat(PlanNode.KeyRename.clientKey("id__alias_x")).isEqualTo("id__alias_x");
        assertThat(PlanNode.KeyRename.clientKey("__alias_0")).isEqualTo("__alias_0");
        assertThat(PlanNode.KeyRename.clientKey("plain")).isEqualTo("plain");
    }
}

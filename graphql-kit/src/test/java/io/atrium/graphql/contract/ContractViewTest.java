package io.atrium.graphql.contract;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.parser.Parser;
import graphql.schema.GraphQLObjectType;
import graphql.validation.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ContractViewTest {
    private static final String SUPERGRAPH = read("/fixtures/contract/supergraph.graphql");

    private static String read(String path) {
        try (InputStream in = ContractViewTest.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void excludeTagsRemoveFieldsTypesAndWhatOnlyTheyReached() {
        ContractView view = ContractView.build(SUPERGRAPH, new ViewRules(Set.of(), Set.of("internal", "web"), true));
        GraphQLObjectType query = view.schema().getQueryType();
        assertThat(query.getFieldDefinitions()).extracting(f -> f.getName())
                .containsExactlyInAnyOrder("topProducts", "homeFeed");
        GraphQLObjectType product = view.schema().getObjectType("Product");
        assertThat(product.getFieldDefinition("price")).isNull();
        assertThat(product.getFieldDefinition("priceLabel")).isNull();
        assertThat(product.getFieldDefinition("thumbnailUrl")).isNotNull();
        // Report was only reachable through the excluded adminReport; Mutation lost its only field
        assertThat(view.schema().getType("Report")).isNull();
        assertThat(view.schema().getType("ProductPage")).isNull();
        assertThat(view.schema().getMutationType()).isNull();
        assertThat(view.schema().getType("join__Graph")).isNull();
        assertThat(view.schema().getDirective("tag")).isNull();
        assertThat(view.sdl()).doesNotContain("secret").doesNotContain("join__");
    }

    @Test
    void includeTagsKeepOnlyTaggedFieldsOfUntaggedTypes() {
        ContractView view = ContractView.build(SUPERGRAPH, new ViewRules(Set.of("mobile"), Set.of(), true));
        assertThat(view.schema().getQueryType().getFieldDefinitions()).extracting(f -> f.getName())
                .containsExactly("homeFeed");
        // FeedPage is tagged: all its fields stay; Product (untagged) keeps only its tagged field
        assertThat(view.schema().getObjectType("FeedPage").getFieldDefinitions()).hasSize(2);
        assertThat(view.schema().getObjectType("Product").getFieldDefinitions()).extracting(f -> f.getName())
                .containsExactly("thumbnailUrl");
    }

    @Test
    void validationAgainstTheViewRefusesHiddenFields() {
        ContractView view = ContractView.build(SUPERGRAPH, new ViewRules(Set.of(), Set.of("internal", "web"), true));
        Validator validator = new Validator();
        assertThat(validator.validateDocument(view.schema(),
                Parser.parse("{ topProducts { name thumbnailUrl(size: SMALL) } }"), Locale.ENGLISH)).isEmpty();
        assertThat(validator.validateDocument(view.schema(), Parser.parse("{ topProducts { price } }"), Locale.ENGLISH))
                .isNotEmpty();
    }

    @Test
    void withoutRulesTheViewIsTheApiSchema() {
        ContractView view = ContractView.build(SUPERGRAPH, ViewRules.EVERYTHING);
        assertThat(view.schema().getQueryType().getFieldDefinition("secret")).isNull();
        assertThat(view.schema().getQueryType().getFieldDefinitions()).hasSize(4);
        assertThat(view.schema().getMutationType().getFieldDefinition("wipe")).isNotNull();
    }
}

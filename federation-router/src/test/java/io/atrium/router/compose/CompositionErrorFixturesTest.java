package io.atrium.router.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Subgraphs that must not compose: the same codes as {@code @apollo/composition}, messages that say where. */
class CompositionErrorFixturesTest {

    static List<ErrorFixture> cases() {
        return ErrorFixture.all();
    }

    @Test
    void thereAreAtLeastFortyCases() {
        assertThat(cases()).hasSizeGreaterThanOrEqualTo(40);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsTheSameCodesAsApollo(ErrorFixture fixture) {
        CompositionResult result = Composer.compose(fixture.sources());
        assertThat(result).as("%s composes, but should fail with %s", fixture.name(), fixture.errors())
                .isInstanceOf(CompositionResult.Failed.class);
        List<CompositionError> errors = ((CompositionResult.Failed) result).errors();
        TreeSet<String> codes = new TreeSet<>();
        errors.forEach(e -> codes.add(e.code()));
        assertThat(codes).as("codes of %s: %s", fixture.name(), errors).isEqualTo(new TreeSet<>(fixture.errors()));
        String messages = String.join("\n", errors.stream().map(CompositionError::toString).toList());
        for (String mention : fixture.mentions()) {
            assertThat(messages).as("messages of %s", fixture.name()).contains(mention);
        }
        for (CompositionError error : errors) {
            if (error.subgraph() != null) {
                assertThat(fixture.subgraphs()).as("subgraph of %s", error).containsKey(error.subgraph());
            }
        }
    }

    @Test
    void errorsPointAtTheSdlLocation() {
        ErrorFixture fixture = ErrorFixture.load(ErrorFixture.ROOT.resolve("invalid-field-sharing-one-side-shareable.yaml"));
        var failed = (CompositionResult.Failed) Composer.compose(fixture.sources());
        CompositionError error = failed.errors().getFirst();
        assertThat(error.subgraph()).isEqualTo("b");
        assertThat(error.line()).isEqualTo(2);
        assertThat(error.location()).isEqualTo("b:2:" + error.column());
        assertThat(error.column()).isGreaterThan(1);
    }

    @Test
    void unknownFixtureKeysAreRejected(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("typo.yaml");
        Files.writeString(file, "subgraphs: {a: 'type Query { a: Int }'}\nerrors: [X]\nerorrs: [Y]\n");
        assertThatThrownBy(() -> ErrorFixture.load(file)).hasMessageContaining("typo.erorrs");
    }
}

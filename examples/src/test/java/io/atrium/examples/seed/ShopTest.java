package io.atrium.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShopTest {

    private final Shop shop = Shop.seed();

    @Test
    void hasTheBenchmarkShapedData() {
        assertThat(shop.users()).hasSize(6);
        assertThat(shop.products()).hasSize(9);
        assertThat(shop.reviews()).hasSize(11);
    }

    @Test
    void reviewsReferToExistingUsersAndProducts() {
        assertThat(shop.reviews()).allSatisfy(review -> {
            assertThat(shop.user(review.authorId())).isPresent();
            assertThat(shop.product(review.productUpc())).isPresent();
        });
        assertThat(shop.users()).allSatisfy(user -> assertThat(shop.reviewsByAuthor(user.id())).isNotEmpty());
    }

    @Test
    void reviewBodiesAreAFewHundredCharactersOfSentences() {
        assertThat(shop.reviews()).allSatisfy(review -> assertThat(review.body())
                .hasSizeBetween(580, 1_000)
                .matches("[A-Z][a-z ]+\\.( [A-Z][a-z ]+\\.)*"));
        assertThat(shop.reviews()).extracting(Review::body).doesNotHaveDuplicates();
    }

    @Test
    void textIsTheSameOnEveryRun() {
        assertThat(ReviewText.generate(7, 50)).isEqualTo(ReviewText.generate(7, 50));
        assertThat(shop.review("1").orElseThrow().body())
                .startsWith(ReviewText.generate(1000, 1))
                .hasSize(ReviewText.generate(1000, 580).length());
        assertThat(shop.review("1").orElseThrow().body().hashCode()).isEqualTo(SEEDED_FIRST_BODY_HASH);
    }

    /** Pins the generated text: if this changes, the benchmark answer (config/supergraph) changes too. */
    private static final int SEEDED_FIRST_BODY_HASH = -1132973290;
}

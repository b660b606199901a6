package io.atrium.examples.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShippingRuleTest {

    @ParameterizedTest(name = "price {0}, weight {1} -> {2}")
    @CsvSource(nullValues = "null", value = {
        "1001, 5000, 0",
        "1000, 100, 50",
        "899, 101, 51",
        "54, 1, 1",
        "10, 0, 0",
        "null, 10, null",
        "10, null, null",
    })
    void freeAboveOneThousandOtherwiseHalfTheWeightRoundedUp(Integer price, Integer weight, Integer expected) {
        assertThat(ShippingRule.estimate(price, weight)).isEqualTo(expected);
    }
}

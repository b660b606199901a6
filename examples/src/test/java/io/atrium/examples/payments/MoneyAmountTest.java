package io.atrium.examples.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atrium.proto.payments.v1.Money;
import org.junit.jupiter.api.Test;

class MoneyAmountTest {

    @Test
    void roundTripsProtoMoney() {
        Money money = Money.newBuilder().setCurrencyCode("EUR").setUnits(12).setNanos(340_000_000).build();

        assertThat(MoneyAmount.of(money)).isEqualTo(new MoneyAmount("EUR", 12_340_000_000L));
        assertThat(MoneyAmount.of(money).toProto()).isEqualTo(money);
    }

    @Test
    void negativeAmountsKeepUnitsAndNanosOfTheSameSign() {
        MoneyAmount amount = MoneyAmount.ofCents("USD", 100).minus(MoneyAmount.ofCents("USD", 250));

        assertThat(amount.toProto().getUnits()).isEqualTo(-1);
        assertThat(amount.toProto().getNanos()).isEqualTo(-500_000_000);
    }

    @Test
    void addsAndSubtractsExactly() {
        MoneyAmount a = MoneyAmount.ofCents("USD", 10);
        MoneyAmount b = MoneyAmount.ofCents("USD", 20);

        assertThat(a.plus(b)).isEqualTo(MoneyAmount.ofCents("USD", 30));
        assertThat(a.plus(b).minus(MoneyAmount.ofCents("USD", 30)).isZero()).isTrue();
        assertThat(a.compareTo(b)).isNegative();
        assertThat(b.isPositive()).isTrue();
    }

    @Test
    void rejectsMixedCurrenciesAndInvalidMoney() {
        assertThatThrownBy(() -> MoneyAmount.ofCents("USD", 1).plus(MoneyAmount.ofCents("EUR", 1)))
                .hasMessageContaining("currency mismatch");
        assertThatThrownBy(() -> MoneyAmount.of(Money.newBuilder().setCurrencyCode("USD").setUnits(1).setNanos(-1).build()))
                .hasMessageContaining("same sign");
        assertThatThrownBy(() -> MoneyAmount.of(Money.newBuilder().setCurrencyCode("USD").setNanos(1_000_000_000).build()))
                .hasMessageContaining("nanos");
        assertThatThrownBy(() -> MoneyAmount.of(Money.newBuilder().setCurrencyCode("usd").setUnits(1).build()))
                .hasMessageContaining("ISO 4217");
        assertThatThrownBy(() -> MoneyAmount.of(Money.newBuilder().setCurrencyCode("USD").setUnits(Long.MAX_VALUE).build()))
                .hasMessageContaining("too large");
        assertThatThrownBy(() -> new MoneyAmount("USD", Long.MAX_VALUE).plus(MoneyAmount.ofCents("USD", 1)))
                .isInstanceOf(ArithmeticException.class);
    }
}

package io.atrium.examples.payments;

import io.atrium.proto.payments.v1.Money;
import java.util.regex.Pattern;

/**
 * Exact money arithmetic for payments: an ISO 4217 currency and an amount in nanos (10^-9 units),
 * held in a long (enough for ±9.2 billion units). Arithmetic never rounds; mixing currencies or
 * overflowing is an error.
 */
public record MoneyAmount(String currencyCode, long nanos) implements Comparable<MoneyAmount> {

    static final long NANOS_PER_UNIT = 1_000_000_000L;
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    public MoneyAmount {
        if (currencyCode == null || !CURRENCY.matcher(currencyCode).matches()) {
            throw new IllegalArgumentException("currency_code must be three upper-case letters (ISO 4217), got '"
                    + currencyCode + "'");
        }
    }

    /** Reads a proto Money, checking the nanos range and that units and nanos have the same sign. */
    public static MoneyAmount of(Money money) {
        long units = money.getUnits();
        int nanos = money.getNanos();
        if (Math.abs(nanos) >= NANOS_PER_UNIT) {
            throw new IllegalArgumentException("nanos must be between -999999999 and 999999999, got " + nanos);
        }
        if ((units > 0 && nanos < 0) || (units < 0 && nanos > 0)) {
            throw new IllegalArgumentException("units and nanos must have the same sign");
        }
        try {
            return new MoneyAmount(money.getCurrencyCode(), Math.addExact(Math.multiplyExact(units, NANOS_PER_UNIT), nanos));
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("amount too large: at most 9223372035 units", e);
        }
    }

    public static MoneyAmount zero(String currencyCode) {
        return new MoneyAmount(currencyCode, 0);
    }

    /** An amount in cents (hundredths of a unit), as the demo shop prices things. */
    public static MoneyAmount ofCents(String currencyCode, long cents) {
        return new MoneyAmount(currencyCode, Math.multiplyExact(cents, NANOS_PER_UNIT / 100));
    }

    public Money toProto() {
        return Money.newBuilder()
                .setCurrencyCode(currencyCode)
                .setUnits(nanos / NANOS_PER_UNIT)
                .setNanos((int) (nanos % NANOS_PER_UNIT))
                .build();
    }

    public MoneyAmount plus(MoneyAmount other) {
        return new MoneyAmount(currencyCode, Math.addExact(nanos, sameCurrency(other).nanos));
    }

    public MoneyAmount minus(MoneyAmount other) {
        return new MoneyAmount(currencyCode, Math.subtractExact(nanos, sameCurrency(other).nanos));
    }

    public boolean isPositive() {
        return nanos > 0;
    }

    public boolean isZero() {
        return nanos == 0;
    }

    @Override
    public int compareTo(MoneyAmount other) {
        return Long.compare(nanos, sameCurrency(other).nanos);
    }

    private MoneyAmount sameCurrency(MoneyAmount other) {
        if (!currencyCode.equals(other.currencyCode)) {
            throw new IllegalArgumentException("currency mismatch: " + currencyCode + " and " + other.currencyCode);
        }
        return other;
    }
}

package io.atrium.policy.observability;

/** Reading a value out of a Prometheus text scrape in tests. */
public final class PrometheusText {
    private PrometheusText() {
    }

    /** The value of the sample named exactly {@code series} (name and labels as scraped), 0 when absent. */
    public static double value(String scrape, String series) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).strip());
            }
        }
        return 0;
    }
}

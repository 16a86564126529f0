// One endpoint a scenario runs against: PostgreSQL itself, PgBouncer or pgmux.
package io.pgmux.loadtest.driver;

/**
 * A named host:port, with the optional URL of its Prometheus {@code /metrics} endpoint.
 *
 * @param metricsUrl null when the target exposes no metrics (or they should not be scraped)
 */
public record Target(String name, String host, int port, String metricsUrl) {
    /**
     * Parses {@code name=host:port} or {@code name=host:port,metrics=http://...}.
     *
     * @throws IllegalArgumentException if the text does not have that shape
     */
    public static Target parse(String text) {
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("target must look like name=host:port: " + text);
        }
        String name = text.substring(0, eq).strip();
        String[] parts = text.substring(eq + 1).split(",", 2);
        String address = parts[0].strip();
        String metrics = null;
        if (parts.length == 2) {
            String option = parts[1].strip();
            if (!option.startsWith("metrics=")) {
                throw new IllegalArgumentException("unknown target option (expected metrics=URL): " + option);
            }
            metrics = option.substring("metrics=".length());
        }
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("target address must be host:port: " + address);
        }
        try {
            int port = Integer.parseInt(address.substring(colon + 1));
            return new Target(name, address.substring(0, colon), port, metrics);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("target port is not a number: " + address, e);
        }
    }

    /** {@code host:port}. */
    public String address() {
        return host + ":" + port;
    }

    /** JDBC URL of {@code database} on this target. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }
}

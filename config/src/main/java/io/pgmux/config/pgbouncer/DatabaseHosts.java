// Translates the servers of one [databases] line: host (a list too), port and load_balance_hosts.
package io.pgmux.config.pgbouncer;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One host becomes {@code host} and {@code port}, as before; PgBouncer's list {@code host=h1,h2} becomes pgmux's
 * {@code hosts: [h1:PORT, h2:PORT]}, every host with the entry's one port, as PgBouncer uses it. PgBouncer hands
 * new server connections to the hosts of a list in turn (load_balance_hosts = round-robin, its default); pgmux opens
 * each new backend on the host with the fewest of the pool's and balances transactions evenly over the hosts, so
 * that mode carries over with a note. load_balance_hosts = disable (one host until it fails) has no equivalent and is
 * ignored with a warning, unless target_session_attrs already keeps the database to its one primary.
 */
final class DatabaseHosts {

    /** PostgreSQL's port, PgBouncer's default for a database. */
    private static final int DEFAULT_PORT = 5432;
    private static final String LOOPBACK = "127.0.0.1";
    /** target_session_attrs values that accept the primary alone: at most one host serves at a time. */
    private static final Set<String> ONE_PRIMARY = Set.of("read-write", "primary");

    private DatabaseHosts() {
    }

    /** Writes the servers of database {@code name} from its {@code pairs}; problems go to {@code out}. */
    static void apply(IniEntry entry, String name, Map<String, String> pairs, ConversionTarget out) {
        Integer port = port(entry, name, pairs.get("port"), out);
        String balance = balance(entry, name, pairs.get("load_balance_hosts"), out);
        List<String> hosts = hosts(entry, name, pairs.get("host"), out);
        if (hosts.isEmpty()) {
            return;
        }
        if (hosts.size() == 1) {
            out.entry("databases", name, "host", hosts.get(0));
            if (port != null) {
                out.entry("databases", name, "port", port);
            }
            return;
        }
        int each = port == null ? DEFAULT_PORT : port;
        List<String> addresses = new ArrayList<>(hosts.size());
        for (String host : hosts) {
            addresses.add((host.contains(":") ? "[" + host + "]" : host) + ":" + each);
        }
        out.entry("databases", name, "hosts", addresses);
        out.note(entry.where() + ": database " + name + ": host " + String.join(",", hosts) + " becomes hosts "
                + addresses + "; pgmux opens each new backend on the host with the fewest and balances "
                + "transactions evenly over the hosts (as load_balance_hosts = round-robin spreads connections), and "
                + "passes over a host that is down until it answers again");
        String attrs = pairs.getOrDefault("target_session_attrs", "").strip().toLowerCase(Locale.ROOT);
        if ("disable".equals(balance) && !ONE_PRIMARY.contains(attrs.replace('_', '-'))) {
            out.warn(entry.where() + ": database " + name + ": load_balance_hosts = disable is ignored: pgmux "
                    + "spreads backends over every host; to keep to one server and follow it when it fails over, "
                    + "set target_session_attrs: read-write (the primary)");
        }
    }

    /** The hosts to write, in order, without repeats; empty after an error. */
    private static List<String> hosts(IniEntry entry, String name, String value, ConversionTarget out) {
        if (value == null || value.isBlank()) {
            out.warn(entry.where() + ": database " + name + ": no host, so PgBouncer would use the Unix socket; "
                    + "pgmux connects over TCP to " + LOOPBACK);
            return List.of(LOOPBACK);
        }
        Set<String> hosts = new LinkedHashSet<>();
        for (String item : value.split(",", -1)) {
            String host = item.strip();
            if (host.isEmpty()) {
                out.error(entry.where() + ": database " + name + ": host '" + value + "' has an empty item");
                return List.of();
            }
            if (host.startsWith("/") || host.startsWith("@")) {
                out.warn(entry.where() + ": database " + name + ": host " + host + " is a Unix socket directory; "
                        + "pgmux connects over TCP to " + LOOPBACK);
                host = LOOPBACK;
            }
            if (!hosts.add(host)) {
                out.warn(entry.where() + ": database " + name + ": host " + host + " is listed once only");
            }
        }
        return List.copyOf(hosts);
    }

    private static Integer port(IniEntry entry, String name, String value, ConversionTarget out) {
        if (value == null) {
            return null;
        }
        IniEntry one = new IniEntry(entry.section(), name + " port", value, entry.where(), entry.file());
        if (value.contains(",")) {
            out.error(one, "PgBouncer takes one port, used for every host of the list, got '" + value + "'");
            return null;
        }
        Integer port = IniValues.integer(one, 1, out);
        if (port != null && port > 65535) {
            out.error(one, "must be 1..65535, got " + port);
            return null;
        }
        return port;
    }

    /** PgBouncer's two modes; its default is round-robin. */
    private static String balance(IniEntry entry, String name, String value, ConversionTarget out) {
        if (value == null) {
            return "round-robin";
        }
        String mode = value.strip().toLowerCase(Locale.ROOT);
        if (!mode.equals("round-robin") && !mode.equals("disable")) {
            out.error(entry.where() + ": database " + name + ": load_balance_hosts must be round-robin or disable, "
                    + "got '" + value + "'");
        }
        return mode;
    }
}

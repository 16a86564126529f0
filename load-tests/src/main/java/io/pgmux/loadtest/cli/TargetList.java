// Resolves the --target options, and which address is PostgreSQL itself for backend sampling.
package io.pgmux.loadtest.cli;

import io.pgmux.loadtest.driver.Target;
import io.pgmux.loadtest.postgres.StartedPostgres;

import java.util.ArrayList;
import java.util.List;

/** {@code postgres} as an address means the server started with --start-postgres. */
final class TargetList {
    private TargetList() {
    }

    static List<Target> parse(List<String> specs, StartedPostgres started) {
        List<Target> targets = new ArrayList<>();
        for (String spec : specs) {
            String resolved = spec;
            int eq = spec.indexOf('=');
            if (eq > 0 && spec.substring(eq + 1).split(",", 2)[0].strip().equals("postgres")) {
                if (started == null) {
                    throw new IllegalArgumentException("target address 'postgres' needs --start-postgres: " + spec);
                }
                resolved = spec.substring(0, eq + 1) + started.host() + ":" + started.port()
                        + spec.substring(eq + 1).substring("postgres".length());
            }
            targets.add(Target.parse(resolved));
        }
        if (targets.isEmpty()) {
            if (started == null) {
                throw new IllegalArgumentException("no --target given");
            }
            targets.add(new Target("direct", started.host(), started.port(), null));
        }
        return targets;
    }

    /** --postgres if given, else the started server, else the target named {@code direct}, else none. */
    static Target postgresForSampling(String option, List<Target> targets, StartedPostgres started) {
        if (option != null) {
            return Target.parse("postgres=" + option);
        }
        if (started != null) {
            return new Target("postgres", started.host(), started.port(), null);
        }
        return targets.stream().filter(t -> t.name().equals("direct")).findFirst().orElse(null);
    }
}

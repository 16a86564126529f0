// Reads a scenario from YAML (load-tests/scenarios/*.yaml); the format is described in the README there.
package io.pgmux.loadtest.cli;

import io.pgmux.loadtest.arrival.ArrivalPattern;
import io.pgmux.loadtest.arrival.Burst;
import io.pgmux.loadtest.arrival.ConstantRate;
import io.pgmux.loadtest.arrival.Phases;
import io.pgmux.loadtest.arrival.Ramp;
import io.pgmux.loadtest.arrival.RateProfile;
import io.pgmux.loadtest.runner.ClientSettings;
import io.pgmux.loadtest.runner.Scenario;
import io.pgmux.loadtest.workload.TenantMix;
import io.pgmux.loadtest.workload.TransactionKind;
import io.pgmux.loadtest.workload.TransactionSpec;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds a {@link Scenario}; relative CSV paths are resolved against the scenario file's directory. */
public final class ScenarioLoader {
    private ScenarioLoader() {
    }

    public static Scenario load(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        return parse(Files.readString(file), dir);
    }

    /** Parses scenario YAML text; {@code baseDir} resolves relative replay CSV paths. */
    public static Scenario parse(String yaml, Path baseDir) throws IOException {
        Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        YamlMap m = new YamlMap(root, "");
        m.allowOnly("name", "description", "client", "client_threads", "app_servers", "app_pool_size",
                "max_in_flight", "arrival", "transaction", "timeouts", "terminate_backends_at", "postgres", "tenants");
        String clientKind = m.string("client", "netty");
        ClientSettings defaults = ClientSettings.defaults(clientKind);
        ClientSettings client = new ClientSettings(clientKind, (int) m.number("client_threads", defaults.threads()),
                (int) m.number("app_servers", defaults.appServers()),
                (int) m.number("app_pool_size", defaults.appPoolSize()),
                (int) m.number("max_in_flight", defaults.maxInFlight()));
        YamlMap arrival = require(m, "arrival");
        YamlMap timeouts = m.has("timeouts") ? m.map("timeouts") : new YamlMap(Map.of(), "timeouts");
        timeouts.allowOnly("connect", "transaction", "drain");
        YamlMap postgres = m.has("postgres") ? m.map("postgres") : new YamlMap(Map.of(), "postgres");
        postgres.allowOnly("max_connections");
        return new Scenario(m.string("name", "scenario"), m.string("description", ""),
                arrival(arrival, baseDir), transaction(m.map("transaction")), client,
                timeouts.millis("connect", 30_000), timeouts.millis("transaction", 60_000),
                timeouts.millis("drain", 60_000), m.has("terminate_backends_at")
                        ? m.millis("terminate_backends_at", -1) : -1,
                (int) postgres.number("max_connections", 100), tenants(m, clientKind));
    }

    /** {@code tenants: [{name: noisy, share: 20}, {name: quiet, share: 1, wait_deadline: 2s}]}; netty client only. */
    static TenantMix tenants(YamlMap m, String clientKind) {
        if (!m.has("tenants")) {
            return TenantMix.NONE;
        }
        if (!clientKind.equals("netty")) {
            throw new IllegalArgumentException("tenants: only the netty client connects as a tenant, not "
                    + clientKind);
        }
        List<TenantMix.Tenant> tenants = new ArrayList<>();
        for (YamlMap t : m.list("tenants")) {
            t.allowOnly("name", "share", "wait_deadline");
            tenants.add(new TenantMix.Tenant(t.string("name", ""), (int) t.number("share", 1),
                    t.millis("wait_deadline", 0)));
        }
        return new TenantMix(tenants);
    }

    static ArrivalPattern arrival(YamlMap a, Path baseDir) throws IOException {
        String type = a.string("type", "");
        switch (type) {
            case "constant":
                a.allowOnly("type", "rate", "duration");
                return new ConstantRate(a.decimal("rate", 0), a.millis("duration", 0));
            case "idle":
                a.allowOnly("type", "duration");
                return new ConstantRate(0, a.millis("duration", 0));
            case "ramp":
                a.allowOnly("type", "from", "to", "duration");
                return new Ramp(a.decimal("from", 0), a.decimal("to", 0), a.millis("duration", 0));
            case "burst":
                a.allowOnly("type", "functions", "within");
                return new Burst(a.number("functions", 0), a.millis("within", 0));
            case "replay":
                a.allowOnly("type", "csv");
                Path csv = Path.of(a.string("csv", ""));
                return RateProfile.fromCsv(csv.isAbsolute() || baseDir == null ? csv : baseDir.resolve(csv));
            case "phases":
                a.allowOnly("type", "phases");
                List<ArrivalPattern> phases = new ArrayList<>();
                for (YamlMap phase : a.list("phases")) {
                    phases.add(arrival(phase, baseDir));
                }
                return new Phases(phases);
            default:
                throw new IllegalArgumentException(a.where("type")
                        + ": expected constant, idle, ramp, burst, replay or phases, got '" + type + "'");
        }
    }

    static TransactionSpec transaction(YamlMap t) {
        if (t == null) {
            return new TransactionSpec(TransactionKind.READ, 1, 0, 0);
        }
        t.allowOnly("type", "queries", "work", "think_time");
        return new TransactionSpec(TransactionKind.parse(t.string("type", "read")), (int) t.number("queries", 1),
                t.millis("think_time", 0), t.millis("work", 0));
    }

    private static YamlMap require(YamlMap m, String key) {
        YamlMap child = m.map(key);
        if (child == null) {
            throw new IllegalArgumentException(key + ": missing");
        }
        return child;
    }
}

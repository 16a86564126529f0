// Every shipped scenario must load, and typos in a scenario must be reported rather than ignored.
package io.pgmux.loadtest.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmux.loadtest.arrival.Burst;
import io.pgmux.loadtest.arrival.Phases;
import io.pgmux.loadtest.runner.Scenario;
import io.pgmux.loadtest.workload.TenantMix;
import io.pgmux.loadtest.workload.TransactionKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ScenarioLoaderTest {
    /** Maven runs tests with the module directory as working directory. */
    private static final Path SCENARIOS = Path.of("scenarios");

    @Test
    void everyShippedScenarioLoads() throws Exception {
        List<Path> files;
        try (Stream<Path> list = Files.list(SCENARIOS)) {
            files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().collect(Collectors.toList());
        }
        assertThat(files).extracting(p -> p.getFileName().toString()).contains("storm.yaml", "steady.yaml",
                "burst-idle-burst.yaml", "backend-restart.yaml", "hikari-baseline.yaml");
        for (Path file : files) {
            Scenario scenario = ScenarioLoader.load(file);
            assertThat(scenario.arrival().total()).as(file.toString()).isPositive();
        }
    }

    @Test
    void tenantsSplitTheFunctionsByShareAndStateTheirDeadline() throws Exception {
        Scenario scenario = ScenarioLoader.parse("""
                arrival: {type: burst, functions: 210, within: 1s}
                tenants:
                  - {name: noisy, share: 20}
                  - {name: quiet, share: 1, wait_deadline: 2s}
                """, null);
        TenantMix mix = scenario.tenants();
        assertThat(mix.tenants()).containsExactly(new TenantMix.Tenant("noisy", 20, 0),
                new TenantMix.Tenant("quiet", 1, 2000));
        long quiet = java.util.stream.LongStream.range(0, 210)
                .filter(id -> mix.tenantOf(id).name().equals("quiet")).count();
        assertThat(quiet).isEqualTo(10);
        long firstQuiet = java.util.stream.LongStream.range(0, 210)
                .filter(id -> mix.tenantOf(id).name().equals("quiet")).findFirst().orElseThrow();
        assertThat(mix.startupParameters(firstQuiet)).containsEntry("application_name", "quiet")
                .containsEntry("options", "-c pgmux.wait_deadline=2000ms");
        assertThat(mix.startupParameters(firstQuiet + 1)).containsEntry("application_name", "noisy")
                .doesNotContainKey("options");
        assertThat(ScenarioLoader.parse("arrival: {type: burst, functions: 1, within: 1s}\n", null).tenants()
                .startupParameters(0)).containsExactly(java.util.Map.entry("application_name", "pgmux-loadtest"));
        assertThatThrownBy(() -> ScenarioLoader.parse("""
                client: jdbc
                arrival: {type: burst, functions: 1, within: 1s}
                tenants: [{name: a}]
                """, null)).hasMessageContaining("only the netty client");
    }

    @Test
    void stormIsFiveThousandFunctionsWithinTenSecondsAgainstAHundredConnections() throws Exception {
        Scenario storm = ScenarioLoader.load(SCENARIOS.resolve("storm.yaml"));
        assertThat(storm.arrival()).isEqualTo(new Burst(5000, 10_000));
        assertThat(storm.transaction().kind()).isEqualTo(TransactionKind.READ_WRITE);
        assertThat(storm.postgresMaxConnections()).isEqualTo(100);
    }

    @Test
    void phasesAndHikariSettingsAreRead() throws Exception {
        assertThat(ScenarioLoader.load(SCENARIOS.resolve("burst-idle-burst.yaml")).arrival())
                .isInstanceOf(Phases.class).extracting(a -> a.total()).isEqualTo(4000L);
        Scenario hikari = ScenarioLoader.load(SCENARIOS.resolve("hikari-baseline.yaml"));
        assertThat(hikari.client().kind()).isEqualTo("hikari");
        assertThat(hikari.client().appServers() * hikari.client().appPoolSize()).isEqualTo(40);
        assertThat(ScenarioLoader.load(SCENARIOS.resolve("backend-restart.yaml")).terminateBackendsAtMillis())
                .isEqualTo(20_000);
    }

    @Test
    void unknownKeysAndTypesAreErrors() {
        assertThatThrownBy(() -> ScenarioLoader.parse("name: x\narival:\n  type: burst\n", null))
                .hasMessageContaining("arival");
        assertThatThrownBy(() -> ScenarioLoader.parse("arrival:\n  type: storm\n", null))
                .hasMessageContaining("arrival.type");
        assertThatThrownBy(() -> ScenarioLoader.parse("arrival:\n  type: burst\n  functions: many\n", null))
                .hasMessageContaining("arrival.functions");
    }

    @Test
    void arrivalOptionShorthands() throws Exception {
        assertThat(ArrivalOption.parse("burst:5000:1s")).isEqualTo(new Burst(5000, 1000));
        assertThat(ArrivalOption.parse("constant:200:60s").total()).isEqualTo(12_000);
        assertThat(ArrivalOption.parse("ramp:0:100:10s").total()).isEqualTo(500);
        assertThatThrownBy(() -> ArrivalOption.parse("burst:5000")).hasMessageContaining("needs 2 values");
    }
}

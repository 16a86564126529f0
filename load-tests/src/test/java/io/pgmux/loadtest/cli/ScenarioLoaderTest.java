// Every shipped scenario must load, and typos in a scenario must be reported rather than ignored.
package io.pgmux.loadtest.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgmux.loadtest.arrival.Burst;
import io.pgmux.loadtest.arrival.Phases;
import io.pgmux.loadtest.runner.Scenario;
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

// Checks the cumulative arrival curves: totals, pacing and phase sequencing.
package io.pgmux.loadtest.arrival;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArrivalPatternTest {

    @Test
    void burstSpreadsItsFunctionsEvenlyOverTheWindow() {
        Burst burst = new Burst(5000, 1000);
        assertThat(burst.dueBy(0)).isZero();
        assertThat(burst.dueBy(500)).isEqualTo(2500);
        assertThat(burst.dueBy(1000)).isEqualTo(5000);
        assertThat(burst.dueBy(99_999)).isEqualTo(5000);
        assertThat(new Burst(10, 0).dueBy(0)).as("a zero window releases everything at once").isEqualTo(10);
    }

    @Test
    void constantRateAccumulatesLinearly() {
        ConstantRate rate = new ConstantRate(200, 60_000);
        assertThat(rate.total()).isEqualTo(12_000);
        assertThat(rate.dueBy(1500)).isEqualTo(300);
        assertThat(rate.dueBy(120_000)).isEqualTo(12_000);
    }

    @Test
    void rampIntegratesTheRisingRate() {
        Ramp ramp = new Ramp(0, 500, 30_000);
        assertThat(ramp.total()).isEqualTo(7500);
        // Half way the rate is 250/s, so a quarter of the arrivals have happened.
        assertThat(ramp.dueBy(15_000)).isEqualTo(1875);
        assertThat(ramp.dueBy(30_000)).isEqualTo(7500);
    }

    @Test
    void phasesRunOneAfterAnother() {
        Phases phases = new Phases(List.of(new Burst(100, 1000), new ConstantRate(0, 5000), new Burst(50, 1000)));
        assertThat(phases.durationMillis()).isEqualTo(7000);
        assertThat(phases.total()).isEqualTo(150);
        assertThat(phases.dueBy(3000)).isEqualTo(100);
        assertThat(phases.dueBy(6500)).isEqualTo(125);
        assertThat(phases.dueBy(7000)).isEqualTo(150);
    }

    @Test
    void profileReadsOneRatePerSecondSkippingHeaderAndComments(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("p.csv");
        Files.writeString(csv, "# comment\nsecond,rate\n0,10\n1,30\n\n2,0\n");
        RateProfile profile = RateProfile.fromCsv(csv);
        assertThat(profile.ratesPerSecond()).containsExactly(10.0, 30.0, 0.0);
        assertThat(profile.durationMillis()).isEqualTo(3000);
        assertThat(profile.dueBy(1500)).isEqualTo(25);
        assertThat(profile.total()).isEqualTo(40);
    }

    @Test
    void profileRejectsAGarbledRateAfterTheHeader(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "10\nlots\n");
        assertThatThrownBy(() -> RateProfile.fromCsv(csv)).hasMessageContaining("line 2");
    }

    @Test
    void durationsParseAndPrint() {
        assertThat(Durations.parseMillis("250ms")).isEqualTo(250);
        assertThat(Durations.parseMillis("1.5s")).isEqualTo(1500);
        assertThat(Durations.parseMillis("2m")).isEqualTo(120_000);
        assertThat(Durations.parseMillis("3")).isEqualTo(3000);
        assertThat(Durations.format(1500)).isEqualTo("1.5s");
        assertThatThrownBy(() -> Durations.parseMillis("soon")).isInstanceOf(IllegalArgumentException.class);
    }
}

// Parses the --arrival command-line shorthand into an arrival pattern.
package io.pgmux.loadtest.cli;

import io.pgmux.loadtest.arrival.ArrivalPattern;
import io.pgmux.loadtest.arrival.Burst;
import io.pgmux.loadtest.arrival.ConstantRate;
import io.pgmux.loadtest.arrival.Durations;
import io.pgmux.loadtest.arrival.Ramp;
import io.pgmux.loadtest.arrival.RateProfile;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Forms: {@code constant:RATE:DURATION} (e.g. {@code constant:200:60s}), {@code ramp:FROM:TO:DURATION},
 * {@code burst:FUNCTIONS:WITHIN} (e.g. {@code burst:5000:1s}) and {@code replay:FILE.csv}.
 */
final class ArrivalOption {
    private ArrivalOption() {
    }

    static ArrivalPattern parse(String spec) throws IOException {
        String[] p = spec.split(":", -1);
        try {
            switch (p[0]) {
                case "constant":
                    require(p, 3, spec);
                    return new ConstantRate(Double.parseDouble(p[1]), Durations.parseMillis(p[2]));
                case "ramp":
                    require(p, 4, spec);
                    return new Ramp(Double.parseDouble(p[1]), Double.parseDouble(p[2]), Durations.parseMillis(p[3]));
                case "burst":
                    require(p, 3, spec);
                    return new Burst(Long.parseLong(p[1]), Durations.parseMillis(p[2]));
                case "replay":
                    return RateProfile.fromCsv(Path.of(spec.substring("replay:".length())));
                default:
                    throw new IllegalArgumentException("unknown arrival '" + p[0]
                            + "': use constant:RATE:DURATION, ramp:FROM:TO:DURATION, burst:N:WITHIN or replay:FILE");
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number in --arrival " + spec, e);
        }
    }

    private static void require(String[] parts, int count, String spec) {
        if (parts.length != count) {
            throw new IllegalArgumentException("--arrival " + spec + " needs " + (count - 1) + " values");
        }
    }
}

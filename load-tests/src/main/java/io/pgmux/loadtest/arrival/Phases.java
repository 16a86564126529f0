// Patterns played one after another, e.g. burst, idle, burst.
package io.pgmux.loadtest.arrival;

import java.util.List;
import java.util.stream.Collectors;

/** Runs each phase in turn; each phase's clock starts when the previous one ends. */
public record Phases(List<ArrivalPattern> phases) implements ArrivalPattern {
    public Phases {
        phases = List.copyOf(phases);
        if (phases.isEmpty()) {
            throw new IllegalArgumentException("at least one phase is needed");
        }
    }

    @Override
    public long dueBy(long elapsedMillis) {
        long due = 0;
        long start = 0;
        for (ArrivalPattern phase : phases) {
            if (elapsedMillis < start) {
                break;
            }
            due += phase.dueBy(elapsedMillis - start);
            start += phase.durationMillis();
        }
        return due;
    }

    @Override
    public long durationMillis() {
        return phases.stream().mapToLong(ArrivalPattern::durationMillis).sum();
    }

    @Override
    public long total() {
        return phases.stream().mapToLong(ArrivalPattern::total).sum();
    }

    @Override
    public String describe() {
        return phases.stream().map(ArrivalPattern::describe).collect(Collectors.joining(", then "));
    }
}

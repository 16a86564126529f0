// When virtual functions arrive: a cumulative arrival curve the runner follows tick by tick.
package io.pgmux.loadtest.arrival;

/**
 * An arrival schedule expressed as a cumulative curve: {@link #dueBy(long)} is how many functions should have
 * started by a moment, so a runner that falls behind catches up instead of drifting. Curves never decrease and
 * reach {@link #total()} at {@link #durationMillis()}.
 */
public interface ArrivalPattern {
    /** Functions that should have started within the first {@code elapsedMillis} ms, capped at {@link #total()}. */
    long dueBy(long elapsedMillis);

    /** How long the schedule lasts. */
    long durationMillis();

    /** Functions started over the whole schedule. */
    long total();

    /** A one-line human description, e.g. {@code "burst: 5000 functions within 10s"}. */
    String describe();
}

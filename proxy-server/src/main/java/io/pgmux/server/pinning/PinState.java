package io.pgmux.server.pinning;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The session state a client holds on its backend, by reason, and so whether the backend is pinned to it.
 *
 * <p>Pinning is reversible: state is added as soon as a statement that creates it is sent (pinning too early is
 * safe), but removals (DEALLOCATE, CLOSE, DROP, RESET, UNLISTEN, DISCARD ALL) and values of tracked parameters
 * only take effect once PostgreSQL confirmed them: at the next ReadyForQuery outside a transaction, with no
 * error and no ROLLBACK since they were sent. State whose creation cannot be undone (LOAD, a temp object we
 * could not name) keeps the pin until the client leaves. Confined to the client's event loop.
 */
public final class PinState {
    /** A reason held without a name: it cannot be undone piece by piece. */
    private static final String UNNAMED = "";

    /**
     * The shared empty map until the first pin: most clients never pin, and every idle client keeps this object (an
     * empty EnumMap carries an array the size of {@link PinReason}). The empty map's remove and clear do nothing.
     */
    private Map<PinReason, Set<String>> held = Collections.emptyMap();
    private final List<StateChange> unconfirmed = new ArrayList<>();
    /** Values of track_extra_parameters the client set, as SQL text; confirmed like removals. Made on first use. */
    private Map<String, String> trackedValues = Collections.emptyMap();
    private boolean failedSinceSent;

    boolean pinned() {
        return !held.isEmpty();
    }

    /** The reasons held now, for logs and metrics. */
    Set<PinReason> reasons() {
        return held.keySet();
    }

    public Map<String, String> trackedValues() {
        return trackedValues;
    }

    /**
     * Records the effects of one statement that was just sent to the backend. A pin that follows an undo still
     * waiting for confirmation is also queued behind it, so that confirming the undo cannot cancel the pin:
     * in {@code RESET ALL; SET lock_timeout = 5} the SET wins.
     */
    void sent(List<StateChange> changes) {
        for (StateChange change : changes) {
            if (change.kind() == StateChange.Kind.PIN) {
                hold(change);
                if (!unconfirmed.isEmpty()) {
                    unconfirmed.add(change);
                }
            } else {
                unconfirmed.add(change);
            }
        }
    }

    private void hold(StateChange pin) {
        if (held.isEmpty()) {
            held = new EnumMap<>(PinReason.class);
        }
        held.computeIfAbsent(pin.reason(), r -> new HashSet<>()).add(pin.name() == null ? UNNAMED : pin.name());
    }

    /** An ErrorResponse or a ROLLBACK: the statements sent since the last confirmation may not have taken effect. */
    void failed() {
        if (!unconfirmed.isEmpty()) {
            failedSinceSent = true;
        }
    }

    /**
     * ReadyForQuery with the backend idle (no transaction): applies the removals sent since the last one in the
     * order they were sent, unless something failed in between.
     */
    void confirm() {
        if (!failedSinceSent) {
            unconfirmed.forEach(this::apply);
        }
        unconfirmed.clear();
        failedSinceSent = false;
    }

    private void apply(StateChange change) {
        switch (change.kind()) {
            case UNPIN -> {
                Set<String> names = held.get(change.reason());
                if (names != null && names.remove(change.name()) && names.isEmpty()) {
                    held.remove(change.reason());
                }
            }
            case UNPIN_ALL -> {
                Set<String> names = held.get(change.reason());
                if (names != null) {
                    names.remove(UNNAMED); // e.g. pg_advisory_unlock_all releases every lock
                    names.clear();
                    held.remove(change.reason());
                }
            }
            case DISCARD_ALL -> {
                boolean loaded = held.containsKey(PinReason.LOAD);
                held = Collections.emptyMap();
                trackedValues = Collections.emptyMap();
                if (loaded) {
                    hold(StateChange.pin(PinReason.LOAD, null)); // libraries are never unloaded
                }
            }
            case TRACKED_SET -> {
                if (change.name() == null) {
                    trackedValues = Collections.emptyMap(); // RESET ALL
                } else if ("DEFAULT".equalsIgnoreCase(change.value())) {
                    trackedValues.remove(change.name());
                } else {
                    if (trackedValues.isEmpty()) {
                        trackedValues = new LinkedHashMap<>();
                    }
                    trackedValues.put(change.name(), change.value());
                }
            }
            case PIN -> hold(change); // held since it was sent; again after the undos sent before it
        }
    }

    /** What is held, for the log line: each reason's tag with the names pgmux knows, e.g. set_config(work_mem). */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        held.forEach((reason, names) -> {
            text.append(text.isEmpty() ? "" : ", ").append(reason.tag());
            List<String> named = names.stream().filter(name -> !name.equals(UNNAMED)).sorted().toList();
            if (!named.isEmpty()) {
                text.append('(').append(String.join(", ", named)).append(')');
            }
        });
        return text.toString();
    }
}

package io.pgmux.server.pinning;

/**
 * One effect of a client statement on the session state of its backend, as {@link SessionStateDetector} reads it.
 *
 * @param kind   what happens
 * @param reason the pinning reason concerned (null for {@link Kind#DISCARD_ALL} and {@link Kind#TRACKED_SET})
 * @param name   the object or parameter name (lower case), or null where the change covers all of them
 * @param value  for {@link Kind#TRACKED_SET}: the SQL text of the new value, e.g. {@code 'x', public} or
 *               {@code DEFAULT}
 */
record StateChange(Kind kind, PinReason reason, String name, String value) {
    enum Kind {
        /** Session state is created: the backend must stay with the client. */
        PIN,
        /** One named piece of state is gone (DEALLOCATE x, CLOSE x, DROP TABLE x, RESET x, UNLISTEN x). */
        UNPIN,
        /** Every piece of state of one reason is gone (DEALLOCATE ALL, CLOSE ALL, UNLISTEN *, RESET ALL...). */
        UNPIN_ALL,
        /** DISCARD ALL: everything but loaded libraries is gone, and every parameter is back at its default. */
        DISCARD_ALL,
        /** SET of a parameter pgmux tracks itself (track_extra_parameters): no pin, the value follows the client. */
        TRACKED_SET
    }

    static StateChange pin(PinReason reason, String name) {
        return new StateChange(Kind.PIN, reason, name, null);
    }

    static StateChange unpin(PinReason reason, String name) {
        return new StateChange(Kind.UNPIN, reason, name, null);
    }

    static StateChange unpinAll(PinReason reason) {
        return new StateChange(Kind.UNPIN_ALL, reason, null, null);
    }
}

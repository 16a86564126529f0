// A started PostgreSQL server, whatever provided it, with the one operation the fixture needs: stop.
package io.pgmux.testing;

/** A PostgreSQL server that has been started and provisioned with the test roles. */
interface RunningPostgres {

    /** Host name or address clients connect to. */
    String host();

    /** TCP port clients connect to. */
    int port();

    /** "testcontainers", "embedded" or "external". */
    String source();

    /** Stops the server if this fixture started it; never throws. */
    void stop();
}

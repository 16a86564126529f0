// Who the virtual functions log in as, and how long they wait before giving up.
package io.pgmux.loadtest.driver;

/**
 * Login and timeouts shared by every client kind.
 *
 * @param connectTimeoutMillis     TCP connect plus login
 * @param transactionTimeoutMillis the whole transaction, from the first statement to the last answer
 */
public record Credentials(String database, String user, String password, long connectTimeoutMillis,
                          long transactionTimeoutMillis) {
    @Override
    public String toString() {
        return "Credentials[database=" + database + ", user=" + user + "]";
    }
}

// The whole invocation's results: the scenario, where PostgreSQL came from, and one result per target.
package io.pgmux.loadtest.report;

import io.pgmux.loadtest.metrics.TargetResult;

import java.util.List;

/**
 * Everything the console, JSON and HTML renderers show.
 *
 * @param postgres where PostgreSQL came from ("embedded", "testcontainers", "external host:port") or null
 */
public record RunReport(String scenario, String description, String arrival, String transaction, String client,
                        String startedAt, String postgres, List<TargetResult> results) {
    public RunReport {
        results = List.copyOf(results);
    }
}

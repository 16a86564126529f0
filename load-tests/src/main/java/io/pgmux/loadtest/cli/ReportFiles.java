// Prints the console summary and writes the JSON and HTML reports of a run.
package io.pgmux.loadtest.cli;

import io.pgmux.loadtest.report.ConsoleReport;
import io.pgmux.loadtest.report.HtmlReport;
import io.pgmux.loadtest.report.JsonReport;
import io.pgmux.loadtest.report.RunReport;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** File names carry the scenario and a timestamp, so successive runs do not overwrite each other. */
final class ReportFiles {
    private ReportFiles() {
    }

    static void write(RunReport report, Path dir, PrintStream out) throws IOException {
        out.println();
        out.print(ConsoleReport.render(report));
        Files.createDirectories(dir);
        String stem = report.scenario() + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path json = dir.resolve(stem + ".json");
        Path html = dir.resolve(stem + ".html");
        Files.writeString(json, JsonReport.render(report));
        Files.writeString(html, HtmlReport.render(report));
        out.println("reports: " + json + " and " + html);
    }
}

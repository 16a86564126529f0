// The report renderers on a hand-made result: JSON shape, summary table, and well-formed inline SVG.
package io.pgmux.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.loadtest.metrics.LatencySummary;
import io.pgmux.loadtest.metrics.TargetResult;
import io.pgmux.loadtest.metrics.Tick;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.xml.sax.InputSource;

class ReportRenderingTest {
    private static final LatencySummary NONE = new LatencySummary(0, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN, Double.NaN);

    private static RunReport report() {
        LatencySummary tx = new LatencySummary(90, 3, 2, 5, 8, 9.5);
        List<Tick> ticks = List.of(
                new Tick(1.0, 100, 40, 60, 20, tx, tx, Map.of("backends", 100.0)),
                new Tick(2.0, 0, 50, 0, 0, NONE, NONE, Map.of()));
        TargetResult direct = new TargetResult("direct", "127.0.0.1:5432", "netty", "run-1", 2.0, 100, 90, 10, 0,
                Map.of("connect", Map.of("53300", 10L)), tx, tx, 45, 50, 60, Map.of("backends", 100.0), 90,
                List.of("a <note> & more"), ticks);
        return new RunReport("storm", "desc", "burst: 100 functions within 1s", "read-write", "netty",
                "2024-01-01T00:00:00Z", "embedded 127.0.0.1:5432", List.of(direct));
    }

    @Test
    void jsonCarriesSummaryErrorsAndTimelineWithNullForUnmeasured() {
        String json = JsonReport.render(report());
        assertThat(json).contains("\"scenario\": \"storm\"", "\"53300\": 10", "\"committed_rows\": 90",
                "\"p99\": 8", "\"p50\": null", "\"t\": 2");
        assertThat(json.chars().filter(c -> c == '{').count()).isEqualTo(json.chars().filter(c -> c == '}').count());
    }

    @Test
    void consoleSummaryNamesTheSqlState() {
        String text = ConsoleReport.render(report());
        assertThat(text).contains("direct", "2.0/5.0/8.0/9.5", "53300 too_many_connections x 10", "100");
    }

    @Test
    void htmlIsSelfContainedWithWellFormedCharts() throws Exception {
        String html = HtmlReport.render(report());
        assertThat(html).doesNotContain("<script", "http://cdn", "https://").contains("a &lt;note&gt; &amp; more");
        Matcher svg = Pattern.compile("<svg.*?</svg>", Pattern.DOTALL).matcher(html);
        int charts = 0;
        while (svg.find()) {
            DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(
                    new StringReader(svg.group())));
            charts++;
        }
        assertThat(charts).isEqualTo(5);
    }

    @Test
    void axisStepsAreRoundAndGiveAtMostFiveIntervals() {
        assertThat(SvgChart.niceStep(0)).isEqualTo(1);
        assertThat(SvgChart.niceStep(22)).isEqualTo(5);
        assertThat(SvgChart.niceStep(5000)).isEqualTo(1000);
        assertThat(SvgChart.niceStep(7)).isEqualTo(2);
        assertThat(SvgChart.niceStep(130)).isEqualTo(50);
    }
}

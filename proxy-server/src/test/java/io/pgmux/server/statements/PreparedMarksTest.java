package io.pgmux.server.statements;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.testing.DetectLeaks;
import org.junit.jupiter.api.Test;

@DetectLeaks
class PreparedMarksTest {
    private final PreparedMarks<String> marks = new PreparedMarks<>();

    @Test
    void aPortalCarriesTheMarkOfTheStatementItWasBoundTo() {
        marks.prepared("s1", "listen");
        marks.bound("p1", "s1");
        marks.bound("p2", "other");

        assertThat(marks.executes("p1")).isEqualTo("listen");
        assertThat(marks.executes("p2")).isNull();
        assertThat(marks.hasStatements()).isTrue();
        assertThat(marks.hasPortals()).isTrue();
    }

    @Test
    void preparingANameAgainWithoutAMarkOrClosingItDropsTheMark() {
        marks.prepared("s1", "listen");
        marks.prepared("s1", null);
        marks.bound("p1", "s1");
        assertThat(marks.executes("p1")).isNull();
        assertThat(marks.isEmpty()).isTrue();

        marks.prepared("", "savepoint");
        marks.bound("", "");
        marks.closed(false, "");
        assertThat(marks.executes("")).isNull();
        marks.closed(true, "");
        assertThat(marks.isEmpty()).isTrue();
    }

    @Test
    void bindingAPortalToAnUnmarkedStatementForgetsItsOldMark() {
        marks.prepared("s1", "listen");
        marks.bound("p", "s1");
        marks.bound("p", "unmarked");
        assertThat(marks.executes("p")).isNull();
        assertThat(marks.hasPortals()).isFalse();
    }

    @Test
    void nothingMarkedCostsNoMapAndTakesEveryRemoval() {
        marks.closed(true, "never");
        marks.closed(false, "never");
        marks.prepared("never", null);
        marks.bound("p", "never");
        assertThat(marks.isEmpty()).isTrue();
    }
}

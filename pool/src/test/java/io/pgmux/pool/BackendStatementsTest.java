package io.pgmux.pool;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BackendStatementsTest {
    private final BackendStatements statements = new BackendStatements();

    @Test
    void evictsTheLeastRecentlyUsed() {
        assertThat(statements.add("a", 2)).isNull();
        assertThat(statements.add("b", 2)).isNull();
        assertThat(statements.contains("a")).isTrue(); // a is now the most recently used
        assertThat(statements.add("c", 2)).isEqualTo("b");
        assertThat(statements.contains("b")).isFalse();
        assertThat(statements.size()).isEqualTo(2);
    }

    @Test
    void addingAKnownNameEvictsNothing() {
        statements.add("a", 1);
        assertThat(statements.add("a", 1)).isNull();
        assertThat(statements.size()).isEqualTo(1);
    }

    @Test
    void clearForgetsAll() {
        statements.add("a", 5);
        statements.clear();
        assertThat(statements.isEmpty()).isTrue();
        assertThat(statements.contains("a")).isFalse();
    }
}

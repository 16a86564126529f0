// Severity levels of ErrorResponse and NoticeResponse messages.
package io.pgmux.protocol;

/**
 * Severity of an ErrorResponse (ERROR, FATAL, PANIC) or NoticeResponse (the others). The wire text is {@link #name()},
 * which is also the non-localized 'V' field PostgreSQL sends.
 */
public enum Severity {
    ERROR, FATAL, PANIC, WARNING, NOTICE, DEBUG, INFO, LOG
}

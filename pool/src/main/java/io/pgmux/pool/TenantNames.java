// Tenant names come from clients (application_name): how they are written into logs and messages safely.
package io.pgmux.pool;

/** Quotes a client-chosen tenant name for a log line or an error message. */
public final class TenantNames {
    /** Longer names are cut: a log line is no place for a client's essay. */
    private static final int MAX_SHOWN = 64;

    private TenantNames() {
    }

    /**
     * The name in double quotes, with quotes and backslashes escaped and control characters (line breaks included,
     * which could forge log lines) written as {@code \\uXXXX}; cut to 64 characters with "...".
     */
    public static String quoted(String name) {
        StringBuilder out = new StringBuilder(name.length() + 2).append('"');
        int shown = Math.min(name.length(), MAX_SHOWN);
        for (int i = 0; i < shown; i++) {
            char c = name.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (name.length() > MAX_SHOWN) {
            out.append("...");
        }
        return out.append('"').toString();
    }
}

// A lookup table from message type byte to message name, shared by FrontendType and BackendType.
package io.pgmux.protocol;

import java.util.Locale;

/** Maps each of the 256 possible type bytes to a message name; a table lookup because it runs per message. */
final class TypeNames {
    private final String[] names = new String[256];

    TypeNames add(byte type, String name) {
        names[type & 0xFF] = name;
        return this;
    }

    boolean isKnown(byte type) {
        return names[type & 0xFF] != null;
    }

    String name(byte type) {
        String name = names[type & 0xFF];
        return name != null ? name : String.format(Locale.ROOT, "unknown(0x%02x)", type & 0xFF);
    }
}

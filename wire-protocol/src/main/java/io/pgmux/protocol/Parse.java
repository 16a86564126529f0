// The extended-protocol Parse ('P') message.
package io.pgmux.protocol;

import io.netty.buffer.ByteBuf;

import java.util.Arrays;

/**
 * A Parse: create prepared statement {@code statementName} ("" is the unnamed statement) from {@code query}, with
 * parameter type OIDs (0 = unspecified). {@code parameterTypes} is a mutable array owned by the record.
 */
public record Parse(String statementName, String query, int[] parameterTypes) {
    /** Reads a whole 'P' frame; leaves its indexes and reference count alone. Malformed: ProtocolException. */
    public static Parse decode(ByteBuf frame) {
        FrameReader reader = FrameReader.of(frame, FrontendType.PARSE, "Parse");
        String statementName = reader.readCString();
        String query = reader.readCString();
        int count = reader.readUnsignedInt16();
        if (reader.remaining() != count * 4) {
            throw new ProtocolException("invalid Parse message format: " + count + " parameter types declared");
        }
        int[] types = new int[count];
        for (int i = 0; i < count; i++) {
            types[i] = reader.readInt32();
        }
        reader.expectEnd();
        return new Parse(statementName, query, types);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Parse
                && statementName.equals(((Parse) other).statementName) && query.equals(((Parse) other).query)
                && Arrays.equals(parameterTypes, ((Parse) other).parameterTypes);
    }

    @Override
    public int hashCode() {
        return (statementName.hashCode() * 31 + query.hashCode()) * 31 + Arrays.hashCode(parameterTypes);
    }

    @Override
    public String toString() {
        return "Parse[statementName=" + statementName + ", query=" + query
                + ", parameterTypes=" + Arrays.toString(parameterTypes) + "]";
    }
}

package io.pgmux.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StatementReferenceTest {

    @Test
    void renamesTheStatementOfABindAndKeepsEverythingElse() {
        ByteBuf bind = bind("portal", "S_1", new byte[] {0, 1, 0, 1, 0, 0, 0, 2, 'h', 'i', 0, 0});
        ByteBuf renamed = null;
        try {
            int index = StatementReference.bindNameIndex(bind);
            int length = StatementReference.cStringLength(bind, index, "Bind");
            assertThat(StatementReference.text(bind, index, length)).isEqualTo("S_1");
            renamed = StatementReference.rename(ByteBufAllocator.DEFAULT, bind, index, length,
                    "pgmux_abcdef".getBytes(StandardCharsets.US_ASCII));
            ByteBuf expected = bind("portal", "pgmux_abcdef", new byte[] {0, 1, 0, 1, 0, 0, 0, 2, 'h', 'i', 0, 0});
            assertThat(renamed).isEqualTo(expected);
            expected.release();
            assertThat(BindHeader.decode(renamed)).isEqualTo(new BindHeader("portal", "pgmux_abcdef"));
        } finally {
            bind.release();
            if (renamed != null) {
                renamed.release();
            }
        }
    }

    @Test
    void unterminatedNameIsAProtocolError() {
        ByteBuf bind = Unpooled.buffer().writeByte('B').writeInt(4 + 3).writeBytes(new byte[] {'p', 0, 's'});
        try {
            int index = StatementReference.bindNameIndex(bind);
            assertThatThrownBy(() -> StatementReference.cStringLength(bind, index, "Bind"))
                    .isInstanceOf(ProtocolException.class);
        } finally {
            bind.release();
        }
    }

    private static ByteBuf bind(String portal, String statement, byte[] rest) {
        byte[] p = portal.getBytes(StandardCharsets.UTF_8);
        byte[] s = statement.getBytes(StandardCharsets.UTF_8);
        return Unpooled.buffer().writeByte('B').writeInt(4 + p.length + 1 + s.length + 1 + rest.length)
                .writeBytes(p).writeByte(0).writeBytes(s).writeByte(0).writeBytes(rest);
    }
}

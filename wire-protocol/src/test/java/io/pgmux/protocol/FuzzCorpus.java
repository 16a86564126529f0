// Test helper that generates seeded random and mutated wire streams for the decoder fuzz test.
package io.pgmux.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Valid message templates per direction, and mutations of streams built from them. */
final class FuzzCorpus {
    private static final int[] INTERESTING_INTS = {-1, 0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 64, 65, 10000, 10001,
            1 << 30, (1 << 30) + 1, Integer.MAX_VALUE, Integer.MIN_VALUE, 80877102, 80877103, 80877104, 3 << 16,
            2 << 16, (3 << 16) | 2};

    static final List<byte[]> FRONTEND = List.of(
            WireBytes.body().cstring("SELECT 1").typed('Q'),
            WireBytes.body().cstring("").typed('Q'),
            WireBytes.body().cstring("s1").cstring("SELECT $1::int").int16(1).int32(23).typed('P'),
            WireBytes.body().cstring("").cstring("SELECT 2").int16(0).typed('P'),
            WireBytes.body().cstring("p").cstring("s1").int16(1).int16(0).int16(1).int32(1).text("7").int16(0)
                    .typed('B'),
            WireBytes.body().int8('S').cstring("s1").typed('D'),
            WireBytes.body().int8('P').cstring("").typed('D'),
            WireBytes.body().cstring("").int32(0).typed('E'),
            WireBytes.body().int8('S').cstring("s1").typed('C'),
            WireBytes.body().typed('S'),
            WireBytes.body().typed('H'),
            WireBytes.body().cstring("secret").typed('p'),
            WireBytes.body().cstring("SCRAM-SHA-256").int32(5).text("n,,r=").typed('p'),
            WireBytes.body().cstring("SCRAM-SHA-256").int32(-1).typed('p'),
            WireBytes.body().text("c=biws,r=abc,p=xyz").typed('p'),
            WireBytes.body().text("1\t2\n").typed('d'),
            WireBytes.body().typed('c'),
            WireBytes.body().cstring("oops").typed('f'),
            WireBytes.body().typed('X'));

    static final List<byte[]> BACKEND = List.of(
            WireBytes.body().int32(0).typed('R'),
            WireBytes.body().int32(3).typed('R'),
            WireBytes.body().int32(5).int32(0x01020304).typed('R'),
            WireBytes.body().int32(10).cstring("SCRAM-SHA-256").int8(0).typed('R'),
            WireBytes.body().int32(11).text("r=abc,s=c2FsdA==,i=4096").typed('R'),
            WireBytes.body().int32(12).text("v=abc").typed('R'),
            WireBytes.body().cstring("client_encoding").cstring("UTF8").typed('S'),
            WireBytes.body().int32(42).int32(-7).typed('K'),
            WireBytes.body().int8('I').typed('Z'),
            WireBytes.body().int8('T').typed('Z'),
            WireBytes.body().int8('E').typed('Z'),
            WireBytes.body().int8('S').cstring("ERROR").int8('C').cstring("42601").int8('M').cstring("syntax")
                    .int8(0).typed('E'),
            WireBytes.body().int8('S').cstring("NOTICE").int8('M').cstring("n").int8(0).typed('N'),
            WireBytes.body().cstring("SELECT 1").typed('C'),
            WireBytes.body().int16(1).cstring("a").int32(0).int16(0).int32(23).int16(4).int32(-1).int16(0)
                    .typed('T'),
            WireBytes.body().int16(2).int32(1).text("1").int32(-1).typed('D'),
            WireBytes.body().typed('I'),
            WireBytes.body().typed('1'),
            WireBytes.body().typed('2'),
            WireBytes.body().int32(0).int32(1).cstring("_pq_.x").typed('v'),
            WireBytes.body().int32(1).cstring("chan").cstring("payload").typed('A'));

    static final List<byte[]> STARTUP = List.of(
            WireBytes.body().int32(3 << 16).cstring("user").cstring("alice").cstring("database").cstring("db")
                    .int8(0).untyped(),
            WireBytes.body().int32(3 << 16 | 2).cstring("user").cstring("u").cstring("_pq_.opt").cstring("1")
                    .int8(0).untyped(),
            WireBytes.body().int32(3 << 16).int8(0).untyped(),
            WireBytes.body().int32(StartupCodes.SSL_REQUEST_CODE).untyped(),
            WireBytes.body().int32(StartupCodes.GSSENC_REQUEST_CODE).untyped(),
            WireBytes.body().int32(StartupCodes.CANCEL_REQUEST_CODE).int32(5).int32(6).untyped());

    private final Random random;

    FuzzCorpus(Random random) {
        this.random = random;
    }

    /** One input: pure noise, or a valid stream for a random direction, mutated zero or more times. */
    byte[] next() {
        int kind = random.nextInt(10);
        if (kind == 0) {
            return randomBytes(random.nextInt(64));
        }
        if (kind == 1) {
            return "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        }
        byte[] stream = validStream(kind);
        int mutations = random.nextInt(4);
        for (int i = 0; i < mutations; i++) {
            stream = mutate(stream);
        }
        return stream;
    }

    private byte[] validStream(int kind) {
        List<byte[]> source = kind < 5 ? FRONTEND : BACKEND;
        WireBytes stream = WireBytes.body();
        if (kind >= 8) {
            // A startup packet, followed by typed messages as a pipelining client would send them.
            stream.bytes(pick(STARTUP));
            source = FRONTEND;
        }
        int count = 1 + random.nextInt(6);
        for (int i = 0; i < count; i++) {
            stream.bytes(pick(source));
        }
        return stream.toArray();
    }

    private byte[] pick(List<byte[]> source) {
        return source.get(random.nextInt(source.size()));
    }

    byte[] mutate(byte[] input) {
        if (input.length == 0) {
            return randomBytes(1 + random.nextInt(8));
        }
        int position = random.nextInt(input.length);
        byte[] out = input.clone();
        switch (random.nextInt(6)) {
            case 0:
                out[position] = (byte) random.nextInt(256);
                return out;
            case 1:
                return Arrays.copyOf(input, position);
            case 2:
                return overwriteInt(out, position, INTERESTING_INTS[random.nextInt(INTERESTING_INTS.length)]);
            case 3:
                return overwriteInt(out, position, random.nextInt());
            case 4:
                return WireBytes.concat(Arrays.copyOf(input, position), randomBytes(1 + random.nextInt(8)),
                        Arrays.copyOfRange(input, position, input.length));
            default:
                int end = position + random.nextInt(input.length - position + 1);
                return WireBytes.concat(Arrays.copyOf(input, end), Arrays.copyOfRange(input, position, input.length));
        }
    }

    private static byte[] overwriteInt(byte[] out, int position, int value) {
        for (int i = 0; i < 4 && position + i < out.length; i++) {
            out[position + i] = (byte) (value >>> (24 - 8 * i));
        }
        return out;
    }

    /** Ascending cut points splitting {@code length} bytes into reads: one read, one byte per read, or random. */
    int[] cuts(int length) {
        int mode = random.nextInt(8);
        if (length < 2 || mode == 0) {
            return new int[0];
        }
        if (mode == 1) {
            int[] all = new int[length - 1];
            Arrays.setAll(all, i -> i + 1);
            return all;
        }
        return random.ints(1 + random.nextInt(Math.min(length - 1, 6)), 1, length).distinct().sorted().toArray();
    }

    byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}

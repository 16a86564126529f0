// Feeds random and mutated messages to the SCRAM code: the only failure allowed is ScramException.
package io.pgmux.protocol.auth;

import static io.pgmux.protocol.auth.ScramClientTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ScramFuzzTest {

    private static final int CASES = 3000;
    private static final ScramSecret SECRET = ScramSecret.fromPassword("pw", new byte[] {1, 2, 3, 4}, 2);

    @Test
    void serverFirstParsingFailsOnlyWithScramException() {
        byte[] valid = bytes("n,,n=,r=abcdefghijklmnop");
        assertOnlyScramExceptions(valid, message -> new ScramServer(SECRET).serverFirstMessage(message));
    }

    @Test
    void serverFinalParsingFailsOnlyWithScramException() {
        ScramClient client = new ScramClient("pw", "", "clientnonce");
        byte[] serverFirst = new ScramServer(SECRET, "servernonce").serverFirstMessage(client.clientFirstMessage());
        byte[] valid = client.clientFinalMessage(serverFirst);
        assertOnlyScramExceptions(valid, message -> {
            ScramServer server = new ScramServer(SECRET, "servernonce");
            server.serverFirstMessage(bytes("n,,n=,r=clientnonce"));
            server.serverFinalMessage(message);
        });
    }

    @Test
    void clientParsingFailsOnlyWithScramException() {
        byte[] valid = bytes("r=clientnonceservernonce,s=AQIDBA==,i=2");
        assertOnlyScramExceptions(valid, message -> new ScramClient("pw", "", "clientnonce").clientFinalMessage(message));
        assertOnlyScramExceptions(bytes("v=AAAA"), message -> {
            ScramClient client = new ScramClient("pw", "", "clientnonce");
            client.clientFinalMessage(valid);
            client.verifyServerFinal(message);
        });
    }

    @Test
    void secretParsingFailsOnlyWithScramException() {
        byte[] valid = bytes(SECRET.toString());
        assertOnlyScramExceptions(valid,
                message -> ScramSecret.parse(new String(message, StandardCharsets.ISO_8859_1)));
    }

    /** Mutates {@code valid} many ways; any outcome but success or ScramException fails the test. */
    private static void assertOnlyScramExceptions(byte[] valid, Consumer<byte[]> target) {
        Random random = new Random(42);
        int rejected = 0;
        for (int i = 0; i < CASES; i++) {
            byte[] message = mutate(valid, random);
            try {
                target.accept(message);
            } catch (ScramException expected) {
                rejected++;
            } catch (RuntimeException e) {
                throw new AssertionError(
                        "unexpected " + e + " for " + new String(message, StandardCharsets.ISO_8859_1), e);
            }
        }
        assertThat(rejected).as("most mutations must be rejected").isGreaterThan(CASES / 2);
    }

    private static byte[] mutate(byte[] valid, Random random) {
        switch (random.nextInt(4)) {
            case 0: // truncate
                return Arrays.copyOf(valid, random.nextInt(valid.length + 1));
            case 1: { // flip bytes
                byte[] copy = valid.clone();
                for (int n = 1 + random.nextInt(3); n > 0; n--) {
                    copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
                }
                return copy;
            }
            case 2: { // insert commas and equals signs, the characters the grammar hinges on
                byte[] copy = valid.clone();
                copy[random.nextInt(copy.length)] = random.nextBoolean() ? (byte) ',' : (byte) '=';
                return copy;
            }
            default: { // random garbage of random size
                byte[] garbage = new byte[random.nextInt(64)];
                random.nextBytes(garbage);
                return garbage;
            }
        }
    }
}

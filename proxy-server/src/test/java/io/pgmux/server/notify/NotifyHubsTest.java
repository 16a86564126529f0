package io.pgmux.server.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgmux.testing.DetectLeaks;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

@DetectLeaks
class NotifyHubsTest {

    /** Each server makes its own and reaches it through its context: nothing is found through a static map. */
    @Test
    void holdsNoStaticState() {
        assertThat(Arrays.stream(NotifyHubs.class.getDeclaredFields()).filter(f -> Modifier.isStatic(f.getModifiers()))
                .map(Field::getName)).isEmpty();
        NotifyHubs one = new NotifyHubs();
        NotifyHubs two = new NotifyHubs();
        one.figures().countReceived();
        assertThat(two.figures().received()).as("another server's figures").isZero();
    }
}

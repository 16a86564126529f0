package io.pgmux.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ParameterSyncTest {
    private static final List<String> NAMES = List.of("DateStyle", "TimeZone", "application_name",
            "extra_float_digits", "search_path");
    private static final List<String> VALUES = List.of("ISO", "UTC", "it's", "a\\b", "3", "");

    @Test
    void inLineExactlyWhenThereIsNothingToSet() {
        Random random = new Random(42);
        int inLine = 0;
        for (int n = 0; n < 50_000; n++) {
            Map<String, String> wanted = pick(random);
            Map<String, String> tracked = random.nextInt(4) == 0 ? Map.of("search_path", "public") : Map.of();
            Map<String, String> reported = pick(random);
            reported.remove("extra_float_digits");
            reported.remove("search_path");
            Map<String, String> unreported = new HashMap<>();
            if (random.nextBoolean()) {
                unreported.put("extra_float_digits", ParameterSync.quoteLiteral(VALUES.get(random.nextInt(VALUES.size()))));
            }
            if (random.nextBoolean()) {
                unreported.put("search_path", "public");
            }
            Map<String, String> defaults = pick(random);
            boolean empty = ParameterSync.statements(wanted, tracked, reported, unreported, defaults).isEmpty();
            assertThat(ParameterSync.inLine(wanted, tracked, reported, unreported, defaults))
                    .as("wanted %s tracked %s reported %s unreported %s defaults %s", wanted, tracked, reported,
                            unreported, defaults)
                    .isEqualTo(empty);
            inLine += empty ? 1 : 0;
        }
        assertThat(inLine).as("both answers occur").isBetween(100, 49_900);
    }

    private static Map<String, String> pick(Random random) {
        Map<String, String> map = new HashMap<>();
        for (String name : NAMES) {
            if (random.nextInt(3) > 0) {
                map.put(name, VALUES.get(random.nextInt(2) == 0 ? 0 : random.nextInt(VALUES.size())));
            }
        }
        return map;
    }
}

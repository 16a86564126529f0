package io.pgmux.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class HbaFileParserTest {

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    @Test
    void parsesThePostgresqlSubset() throws Exception {
        List<HbaRule> rules = HbaFileParser.parse("""
                # TYPE  DATABASE  USER        ADDRESS          METHOD
                local   all       all                          trust
                hostssl app,other alice,"bob" 10.1.0.0/16      scram-sha-256   # comment
                hostnossl all     all         192.168.1.0 255.255.255.0 reject
                host    sameuser  all         ::1/128          md5
                host    all       "all"       all              password
                """, "hba.conf");
        assertThat(rules).hasSize(5);
        HbaRule local = rules.get(0);
        assertThat(local.type()).isEqualTo(HbaRule.ConnectionType.LOCAL);
        assertThat(local.matchesLocal("app", "bob")).isTrue();
        assertThat(local.matches(false, "app", "bob", ip("127.0.0.1"))).as("local is for the Unix socket only")
                .isFalse();
        HbaRule ssl = rules.get(1);
        assertThat(ssl.line()).isEqualTo(3);
        assertThat(ssl.type()).isEqualTo(HbaRule.ConnectionType.HOSTSSL);
        assertThat(ssl.databases()).containsExactly("app", "other");
        assertThat(ssl.users()).containsExactly("alice", "bob");
        assertThat(ssl.method()).isEqualTo(AuthType.SCRAM_SHA_256);
        assertThat(ssl.matches(true, "app", "bob", ip("10.1.200.3"))).isTrue();
        assertThat(ssl.matches(false, "app", "bob", ip("10.1.200.3"))).as("hostssl needs TLS").isFalse();
        assertThat(ssl.matches(true, "app", "bob", ip("10.2.0.1"))).isFalse();
        assertThat(ssl.matches(true, "third", "bob", ip("10.1.0.1"))).isFalse();
        assertThat(ssl.matches(true, "app", "carol", ip("10.1.0.1"))).isFalse();

        HbaRule masked = rules.get(2);
        assertThat(masked.matches(false, "x", "y", ip("192.168.1.77"))).isTrue();
        assertThat(masked.matches(true, "x", "y", ip("192.168.1.77"))).as("hostnossl refuses TLS").isFalse();
        assertThat(masked.matches(false, "x", "y", ip("192.168.2.77"))).isFalse();

        HbaRule sameUser = rules.get(3);
        assertThat(sameUser.matches(false, "joe", "joe", ip("::1"))).isTrue();
        assertThat(sameUser.matches(false, "app", "joe", ip("::1"))).isFalse();
        assertThat(sameUser.matches(false, "joe", "joe", ip("127.0.0.1"))).as("IPv4 never matches IPv6").isFalse();

        HbaRule quotedAll = rules.get(4);
        assertThat(quotedAll.matchesLocal("app", "all")).as("host rules never match the Unix socket").isFalse();
        assertThat(quotedAll.matches(false, "app", "all", ip("1.2.3.4"))).as("a user called all").isTrue();
        assertThat(quotedAll.matches(false, "app", "joe", ip("1.2.3.4"))).as("quoted all is no keyword").isFalse();
    }

    @Test
    void localLinesHaveNoAddressAndTheirOwnMistakes() {
        List<HbaRule> rules = HbaFileParser.parse("local sameuser all md5\nlocal all \"admin\" reject", "f");
        assertThat(rules.get(0).matchesLocal("joe", "joe")).isTrue();
        assertThat(rules.get(0).matchesLocal("app", "joe")).isFalse();
        assertThat(rules.get(0).method()).isEqualTo(AuthType.MD5);
        assertThat(rules.get(1).matchesLocal("app", "admin")).isTrue();
        assertThat(rules.get(1).method()).isEqualTo(AuthType.REJECT);
        assertThatThrownBy(() -> HbaFileParser.parse("local all all", "f"))
                .hasMessageStartingWith("f line 1: expected local DATABASE USER METHOD");
        assertThatThrownBy(() -> HbaFileParser.parse("local all +staff trust", "f"))
                .hasMessageStartingWith("f line 1: group membership");
        assertThatThrownBy(() -> HbaFileParser.parse("local all all peer", "f"))
                .hasMessageContaining("method");
    }

    @Test
    void refusesWhatItCannotHonour() {
        assertThatThrownBy(() -> HbaFileParser.parse("host all all db.example.com md5", "f"))
                .hasMessageStartingWith("f line 1: address must be an IP address");
        assertThatThrownBy(() -> HbaFileParser.parse("\nhost all +admins 0.0.0.0/0 md5", "f"))
                .hasMessageStartingWith("f line 2: group membership");
        assertThatThrownBy(() -> HbaFileParser.parse("host all all 0.0.0.0/0 cert", "f"))
                .hasMessageStartingWith("f line 1: method: must be one of");
        assertThatThrownBy(() -> HbaFileParser.parse("host all all 0.0.0.0/0 md5 clientcert=verify-full", "f"))
                .hasMessageContaining("options are not supported");
        assertThatThrownBy(() -> HbaFileParser.parse("host all all 0.0.0.0/33 md5", "f"))
                .hasMessageContaining("CIDR prefix");
        assertThatThrownBy(() -> HbaFileParser.parse("hostgssenc all all 0.0.0.0/0 md5", "f"))
                .hasMessageContaining("connection type");
        assertThatThrownBy(() -> HbaFileParser.parse("host all all md5", "f"))
                .hasMessageContaining("expected TYPE DATABASE USER ADDRESS METHOD");
        assertThatThrownBy(() -> HbaFileParser.parse("host \"all all 0.0.0.0/0 md5", "f"))
                .hasMessageContaining("unterminated");
    }

    @Test
    void cidrMasksHostBits() throws Exception {
        CidrBlock block = HbaFileParser.cidr("10.1.2.3/8", "x");
        assertThat(block.contains(ip("10.200.0.1"))).isTrue();
        assertThat(block.contains(ip("11.0.0.1"))).isFalse();
        assertThat(HbaFileParser.cidr("0.0.0.0/0", "x").contains(ip("203.0.113.9"))).isTrue();
        assertThat(HbaFileParser.cidr("127.0.0.1", "x").contains(ip("127.0.0.2"))).isFalse();
    }
}

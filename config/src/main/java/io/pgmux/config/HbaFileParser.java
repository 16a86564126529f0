// Parses auth_hba_file: the local/host/hostssl/hostnossl subset of PostgreSQL's pg_hba.conf syntax.
package io.pgmux.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads {@code TYPE DATABASE USER ADDRESS [MASK] METHOD} lines, and {@code local DATABASE USER METHOD} for the
 * clients of the Unix socket; host names, {@code samehost}/{@code samenet}, {@code +group}, {@code @file} and method
 * options are refused rather than silently ignored, so a rule never means less than it says.
 */
final class HbaFileParser {

    private static final Pattern IP_LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

    private HbaFileParser() {
    }

    /** @param origin the file name, for errors ({@code "FILE line N: ..."}) */
    static List<HbaRule> parse(String text, String origin) {
        List<HbaRule> rules = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String where = origin + " line " + (i + 1);
            List<ConfigFileTokens.Token> tokens = ConfigFileTokens.split(lines[i], where);
            if (tokens.isEmpty()) {
                continue;
            }
            rules.add(tokens.get(0).text().equals("local") ? parseLocal(i + 1, tokens, where)
                    : parseRule(i + 1, tokens, where));
        }
        return rules;
    }

    /** {@code local DATABASE USER METHOD}: no address column. */
    private static HbaRule parseLocal(int line, List<ConfigFileTokens.Token> tokens, String where) {
        if (tokens.size() < 4) {
            throw new ConfigException(where + ": expected local DATABASE USER METHOD");
        }
        List<String> users = names(tokens.get(2), where);
        refuseGroups(users, where);
        AuthType method = AuthType.parse(tokens.get(3).text(), where + ": method");
        if (tokens.size() > 4) {
            throw new ConfigException(where + ": authentication options are not supported, got '"
                    + tokens.get(4).text() + "'");
        }
        return new HbaRule(line, HbaRule.ConnectionType.LOCAL, names(tokens.get(1), where), users, null, method);
    }

    private static void refuseGroups(List<String> users, String where) {
        for (String user : users) {
            if (user.startsWith("+")) {
                throw new ConfigException(where + ": group membership (+" + user.substring(1) + ") is not supported");
            }
        }
    }

    private static HbaRule parseRule(int line, List<ConfigFileTokens.Token> tokens, String where) {
        if (tokens.size() < 5) {
            throw new ConfigException(where + ": expected TYPE DATABASE USER ADDRESS METHOD");
        }
        HbaRule.ConnectionType type = switch (tokens.get(0).text()) {
            case "host" -> HbaRule.ConnectionType.HOST;
            case "hostssl" -> HbaRule.ConnectionType.HOSTSSL;
            case "hostnossl" -> HbaRule.ConnectionType.HOSTNOSSL;
            default -> throw new ConfigException(where + ": connection type must be host, hostssl, hostnossl or "
                    + "local, got '" + tokens.get(0).text() + "'");
        };
        List<String> databases = names(tokens.get(1), where);
        List<String> users = names(tokens.get(2), where);
        refuseGroups(users, where);
        int next = 4;
        CidrBlock address;
        if (tokens.get(3).text().equals("all")) {
            address = null;
        } else if (!tokens.get(3).text().contains("/") && tokens.size() > 5 && looksLikeIp(tokens.get(4).text())) {
            address = withMask(tokens.get(3).text(), tokens.get(4).text(), where);
            next = 5;
        } else {
            address = cidr(tokens.get(3).text(), where);
        }
        AuthType method = AuthType.parse(tokens.get(next).text(), where + ": method");
        if (tokens.size() > next + 1) {
            throw new ConfigException(where + ": authentication options are not supported, got '"
                    + tokens.get(next + 1).text() + "'");
        }
        return new HbaRule(line, type, databases, users, address, method);
    }

    /** A comma-separated list; {@code all} and {@code sameuser} are keywords unless quoted. */
    private static List<String> names(ConfigFileTokens.Token token, String where) {
        List<String> names = new ArrayList<>();
        for (String name : token.text().split(",", -1)) {
            if (name.isEmpty()) {
                throw new ConfigException(where + ": empty name in list '" + token.text() + "'");
            }
            if (name.startsWith("@")) {
                throw new ConfigException(where + ": file inclusion (" + name + ") is not supported");
            }
            boolean keyword = name.equals("all") || name.equals("sameuser");
            // A quoted keyword is an ordinary name; mark it so it cannot match as the keyword.
            names.add(keyword && token.quoted() ? "\"" + name + "\"" : name);
        }
        return names;
    }

    static CidrBlock cidr(String text, String where) {
        int slash = text.indexOf('/');
        byte[] address = ip(slash < 0 ? text : text.substring(0, slash), where);
        int prefix = address.length * 8;
        if (slash >= 0) {
            prefix = IntegerValues.parse(text.substring(slash + 1), where + ": CIDR prefix", 0, address.length * 8);
        }
        return new CidrBlock(maskTo(address, prefix), prefix);
    }

    private static CidrBlock withMask(String addressText, String maskText, String where) {
        byte[] address = ip(addressText, where);
        byte[] mask = ip(maskText, where);
        if (mask.length != address.length) {
            throw new ConfigException(where + ": address and mask are of different IP versions");
        }
        int prefix = 0;
        while (prefix < mask.length * 8 && (mask[prefix / 8] & (0x80 >>> (prefix % 8))) != 0) {
            prefix++;
        }
        return new CidrBlock(maskTo(address, prefix), prefix);
    }

    private static byte[] maskTo(byte[] address, int prefix) {
        byte[] network = Arrays.copyOf(address, address.length);
        for (int bit = prefix; bit < network.length * 8; bit++) {
            network[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return network;
    }

    private static boolean looksLikeIp(String text) {
        return IP_LITERAL.matcher(text).matches() && (text.contains(".") || text.contains(":"));
    }

    private static byte[] ip(String text, String where) {
        if (!looksLikeIp(text)) {
            throw new ConfigException(where + ": address must be an IP address, CIDR block or all, got '" + text
                    + "' (host names, samehost and samenet are not supported)");
        }
        try {
            return InetAddress.getByName(text).getAddress(); // a literal: no name lookup happens
        } catch (UnknownHostException e) {
            throw new ConfigException(where + ": not an IP address: '" + text + "'");
        }
    }
}

// An IP network written as ADDRESS/PREFIX.
package io.pgmux.config;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 network: the address bits and the prefix length. An IPv4 client never matches an IPv6 block
 * and the reverse, as in PostgreSQL (write both {@code 127.0.0.1/32} and {@code ::1/128} for loopback).
 *
 * @param network the network address bytes (4 or 16)
 * @param prefix  leading bits that must match, 0..32 or 0..128
 */
public record CidrBlock(byte[] network, int prefix) {

    /** @throws IllegalArgumentException for a prefix out of range */
    public CidrBlock {
        network = network.clone();
        if (prefix < 0 || prefix > network.length * 8) {
            throw new IllegalArgumentException("prefix must be 0.." + network.length * 8 + ", got " + prefix);
        }
    }

    /** Whether {@code address} lies in this network. */
    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length != network.length) {
            return false;
        }
        for (int bit = 0; bit < prefix; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((bytes[bit / 8] & mask) != (network[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public byte[] network() {
        return network.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CidrBlock that && prefix == that.prefix && Arrays.equals(network, that.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefix;
    }
}

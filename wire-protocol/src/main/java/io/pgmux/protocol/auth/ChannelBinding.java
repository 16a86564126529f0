// The tls-server-end-point channel binding data of RFC 5929, used by SCRAM-SHA-256-PLUS.
package io.pgmux.protocol.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Locale;

/**
 * Computes {@code tls-server-end-point}: the hash of the server's certificate with the hash function of the
 * certificate's signature algorithm, SHA-256 when that is MD5 or SHA-1 (or not recognisable). Client and server
 * must compute the same bytes for SCRAM-SHA-256-PLUS to succeed, so this follows PostgreSQL and RFC 5929 exactly.
 */
public final class ChannelBinding {

    private ChannelBinding() {
    }

    /** The binding data of a connection whose server certificate is {@code serverCertificate}. */
    public static byte[] tlsServerEndPoint(X509Certificate serverCertificate) {
        try {
            return MessageDigest.getInstance(hashOf(serverCertificate.getSigAlgName()))
                    .digest(serverCertificate.getEncoded());
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot hash the server certificate for channel binding", e);
        }
    }

    static String hashOf(String signatureAlgorithm) {
        String name = signatureAlgorithm.toUpperCase(Locale.ROOT);
        if (name.startsWith("SHA384")) {
            return "SHA-384";
        }
        if (name.startsWith("SHA512")) {
            return "SHA-512";
        }
        if (name.startsWith("SHA224")) {
            return "SHA-224";
        }
        return "SHA-256"; // SHA256, and MD5/SHA-1 which RFC 5929 upgrades to SHA-256
    }
}

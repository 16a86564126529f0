package io.pgmux.server;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway certificate authority for tests: issues server certificates for 127.0.0.1/localhost and client
 * certificates for a user name, and writes them as PEM files (keys as unencrypted PKCS#8, mode 0600 so libpq
 * accepts them).
 */
final class TestCertificates {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private final String name;
    private final KeyPair caKeys;
    private final X509Certificate caCertificate;

    private TestCertificates(String name) throws GeneralSecurityException, OperatorCreationException {
        this.name = name;
        this.caKeys = newKeyPair();
        X500Name subject = new X500Name("CN=" + name);
        X509v3CertificateBuilder builder = builder(subject, subject, caKeys);
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        this.caCertificate = sign(builder, caKeys);
    }

    /** A new CA named {@code name} (its certificate's CN). */
    static TestCertificates newAuthority(String name) throws Exception {
        return new TestCertificates(name);
    }

    X509Certificate caCertificate() {
        return caCertificate;
    }

    /** Writes the CA certificate to {@code dir/<name>-ca.pem}. */
    Path writeCa(Path dir) throws IOException {
        return writePem(dir.resolve(name + "-ca.pem"), "CERTIFICATE", encoded(caCertificate));
    }

    /** A server certificate for 127.0.0.1 and localhost, written as {@code prefix.crt} and {@code prefix.key}. */
    Issued issueServer(Path dir, String prefix) throws Exception {
        return issue(dir, prefix, "localhost", true, new GeneralName[] {
            new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")});
    }

    /** A server certificate naming only the DNS name {@code host} (no IP address). */
    Issued issueServerForName(Path dir, String prefix, String host) throws Exception {
        return issue(dir, prefix, host, true, new GeneralName[] {new GeneralName(GeneralName.dNSName, host)});
    }

    /** A client certificate whose CN is {@code user}. */
    Issued issueClient(Path dir, String prefix, String user) throws Exception {
        return issue(dir, prefix, user, false, null);
    }

    private Issued issue(Path dir, String prefix, String commonName, boolean server, GeneralName[] names)
            throws Exception {
        KeyPair keys = newKeyPair();
        X509v3CertificateBuilder builder = builder(new X500Name("CN=" + name), new X500Name("CN=" + commonName), keys);
        if (server) {
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        }
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        X509Certificate certificate = sign(builder, caKeys);
        Path cert = writePem(dir.resolve(prefix + ".crt"), "CERTIFICATE", encoded(certificate));
        Path key = writePem(dir.resolve(prefix + ".key"), "PRIVATE KEY", keys.getPrivate().getEncoded());
        Path derKey = Files.write(dir.resolve(prefix + ".pk8"), keys.getPrivate().getEncoded());
        Files.setPosixFilePermissions(derKey, PosixFilePermissions.fromString("rw-------"));
        return new Issued(certificate, cert, key, derKey);
    }

    /** An issued certificate: PEM certificate, PEM PKCS#8 key and DER PKCS#8 key (the form pgjdbc reads). */
    record Issued(X509Certificate certificate, Path certFile, Path keyFile, Path derKeyFile) {
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), subject,
                keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
            throws GeneralSecurityException, OperatorCreationException {
        ContentSigner contentSigner = new JcaContentSignerBuilder("SHA256withRSA").build(signer.getPrivate());
        return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static byte[] encoded(X509Certificate certificate) throws IOException {
        try {
            return certificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    private static Path writePem(Path file, String type, byte[] der) throws IOException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}

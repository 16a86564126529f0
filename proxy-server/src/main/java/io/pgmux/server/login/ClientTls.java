// Client-facing TLS: the server's SslContext, rebuilt from the configured files on reload.
package io.pgmux.server.login;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.pgmux.config.ClientTlsMode;
import io.pgmux.config.ClientTlsSettings;
import io.pgmux.config.ConfigException;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS side of the client listener. Built from the {@code client_tls_*} settings with the JDK's TLS
 * implementation; {@link #reloadCertificates()} re-reads the key, certificate and CA files and swaps the context
 * atomically, so handshakes that start afterwards use the new files while established connections keep theirs.
 *
 * <p>Every context offers ALPN protocol {@value #ALPN_PROTOCOL}, which PostgreSQL 17 clients send and which a
 * direct TLS connection (no SSLRequest first) must negotiate. Thread-safe.
 *
 * <p>Hazard: the private key file is read in clear; keep it readable by pgmux only.
 */
public final class ClientTls {
    private static final Logger log = LoggerFactory.getLogger(ClientTls.class);
    /** The ALPN protocol name PostgreSQL registered for its wire protocol. */
    public static final String ALPN_PROTOCOL = "postgresql";

    private final ClientTlsSettings settings;
    private final AtomicReference<SslContext> context = new AtomicReference<>();

    /**
     * Loads the files when TLS is enabled.
     *
     * @throws ConfigException if a file cannot be read or the settings are rejected by the TLS implementation
     */
    public ClientTls(ClientTlsSettings settings) {
        this.settings = settings;
        if (settings.enabled()) {
            context.set(build(settings));
        }
    }

    /** Whether clients may use TLS at all ({@code client_tls_sslmode} is not {@code disable}). */
    public boolean enabled() {
        return settings.enabled();
    }

    ClientTlsMode mode() {
        return settings.mode();
    }

    /**
     * Re-reads the key, certificate and CA files. On failure the previous context stays in use and the error is
     * thrown, so a broken file never takes TLS down.
     *
     * @throws ConfigException       if the new files cannot be used
     * @throws IllegalStateException if TLS is disabled
     */
    public void reloadCertificates() {
        if (!settings.enabled()) {
            throw new IllegalStateException("client TLS is disabled");
        }
        context.set(build(settings));
        log.info("client TLS certificates reloaded from {}", settings.certFile());
    }

    /** A new server-side TLS handler for one client connection, using the current certificates. */
    public SslHandler newHandler(ByteBufAllocator alloc) {
        SslContext current = context.get();
        if (current == null) {
            throw new IllegalStateException("client TLS is disabled");
        }
        return current.newHandler(alloc);
    }

    private static SslContext build(ClientTlsSettings settings) {
        try {
            SslContextBuilder builder = SslContextBuilder.forServer(settings.certFile().toFile(),
                            settings.keyFile().toFile())
                    .sslProvider(SslProvider.JDK)
                    .protocols(settings.protocols())
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ALPN_PROTOCOL));
            if (!settings.ciphers().isEmpty()) {
                builder.ciphers(settings.ciphers());
            }
            if (settings.caFile() != null) {
                builder.trustManager(settings.caFile().toFile());
                builder.clientAuth(settings.mode().requiresClientCertificate() ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
            }
            return builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new ConfigException("client TLS: cannot use client_tls_cert_file " + settings.certFile()
                    + ", client_tls_key_file " + settings.keyFile()
                    + (settings.caFile() == null ? "" : ", client_tls_ca_file " + settings.caFile())
                    + ": " + e.getMessage(), e);
        }
    }
}

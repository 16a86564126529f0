// TLS towards PostgreSQL: the client-side SslContext for server_tls_sslmode.
package io.pgmux.pool;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.pgmux.config.ConfigException;
import io.pgmux.config.ServerTlsMode;
import io.pgmux.config.ServerTlsSettings;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * Builds the TLS handlers for backend connections from the {@code server_tls_*} settings, with the JDK's TLS.
 * {@code prefer} and {@code require} encrypt without checking the certificate, as libpq does; {@code verify-ca}
 * checks the chain against the CA file (or the JDK's trusted CAs); {@code verify-full} also checks that the
 * certificate names the host pgmux connects to. Thread-safe.
 */
public final class ServerTls {
    private final ServerTlsSettings settings;
    /** Built at start-up when files must be checked; for plain {@code prefer}, at the first server that says yes. */
    private volatile SslContext context;

    /** @throws ConfigException if a configured file cannot be used */
    public ServerTls(ServerTlsSettings settings) {
        this.settings = settings;
        boolean lazy = settings.mode() == ServerTlsMode.PREFER && settings.caFile() == null
                && settings.certFile() == null;
        // Building a JDK SslContext takes a few hundred milliseconds of start-up; most servers behind a sidecar
        // answer "no TLS" to prefer, and then it is never needed.
        this.context = settings.mode() == ServerTlsMode.DISABLE || lazy ? null : build(settings);
    }

    /** TLS off. */
    public static ServerTls disabled() {
        return new ServerTls(new ServerTlsSettings(ServerTlsMode.DISABLE, null, null, null,
                ServerTlsSettings.defaults().protocols()));
    }

    ServerTlsMode mode() {
        return settings.mode();
    }

    /** A client-side TLS handler for a connection to {@code host:port}, verifying as the mode says. */
    SslHandler newHandler(ByteBufAllocator alloc, String host, int port) {
        SslHandler handler = context().newHandler(alloc, host, port);
        SSLEngine engine = handler.engine();
        SSLParameters parameters = engine.getSSLParameters();
        // Only verify-full checks the name (host name or IP against the certificate's SAN); set it either way,
        // because the TLS library may default to checking it.
        parameters.setEndpointIdentificationAlgorithm(settings.mode() == ServerTlsMode.VERIFY_FULL ? "HTTPS" : null);
        engine.setSSLParameters(parameters);
        return handler;
    }

    private SslContext context() {
        SslContext built = context;
        if (built == null) {
            synchronized (this) {
                if (context == null) {
                    context = build(settings);
                }
                built = context;
            }
        }
        return built;
    }

    private static SslContext build(ServerTlsSettings settings) {
        try {
            SslContextBuilder builder = SslContextBuilder.forClient()
                    .sslProvider(SslProvider.JDK)
                    .endpointIdentificationAlgorithm(null)
                    .protocols(settings.protocols());
            if (!settings.mode().verifiesCertificate()) {
                builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
            } else if (settings.caFile() != null) {
                builder.trustManager(settings.caFile().toFile());
            }
            if (settings.certFile() != null) {
                builder.keyManager(settings.certFile().toFile(), settings.keyFile().toFile());
            }
            return builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new ConfigException("server TLS: cannot use server_tls_ca_file " + settings.caFile()
                    + (settings.certFile() == null ? "" : ", server_tls_cert_file " + settings.certFile()
                    + ", server_tls_key_file " + settings.keyFile()) + ": " + e.getMessage(), e);
        }
    }
}

// The client side of the warm-up's TLS handshakes.
package io.pgmux.server.warmup;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Synthetic clients connect to pgmux's own private listener on 127.0.0.1, which shows the real certificate; they
 * check nothing about it, since the handshake is there to compile pgmux's side of TLS, and nothing they send is
 * secret (a password made for the warm-up). Never used for any other connection.
 */
final class LoopbackTls {

    private LoopbackTls() {
    }

    static SSLSocketFactory socketFactory() throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new AnyCertificate()}, null);
        return context.getSocketFactory();
    }

    private static final class AnyCertificate implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // not a server
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // pgmux's own private listener, over loopback: see the class comment
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}

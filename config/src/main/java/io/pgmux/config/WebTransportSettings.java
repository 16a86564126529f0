// The listeners for clients that cannot open a raw TCP connection: PostgreSQL over WebSocket, and the HTTP query API.
package io.pgmux.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the serverless-friendly transports. Both are off unless their address is set. TLS on either uses the
 * client TLS files ({@code client_tls_cert_file}, ...) and is on whenever they are configured.
 *
 * @param websocketListen     {@code websocket_listen}: where WebSocket clients connect, or {@code null} when disabled
 * @param websocketMaxFrame   {@code websocket_max_frame_size}: largest WebSocket frame accepted, in bytes; one frame
 *                            is held whole, so this bounds what a client costs before its bytes are relayed
 * @param httpListen          {@code http_listen}: where the HTTP query endpoint listens, or {@code null} when
 *                            disabled
 * @param httpMaxRequestSize  {@code http_max_request_size}: largest request body, in bytes
 * @param httpMaxResponseSize {@code http_max_response_size}: largest response body, in bytes; a larger result fails
 *                            the request (54000) rather than being held
 * @param httpRequestTimeout  {@code http_request_timeout}: longest a request may take, waiting for a backend included
 */
public record WebTransportSettings(HostPort websocketListen, int websocketMaxFrame, HostPort httpListen,
        int httpMaxRequestSize, int httpMaxResponseSize, Duration httpRequestTimeout) {

    /** Default {@code websocket_max_frame_size}: 1 MiB (drivers coalesce a few messages into a frame). */
    public static final int DEFAULT_WEBSOCKET_MAX_FRAME = 1024 * 1024;
    /** Default {@code http_max_request_size}: 1 MiB. */
    public static final int DEFAULT_HTTP_MAX_REQUEST = 1024 * 1024;
    /** Default {@code http_max_response_size}: 10 MiB. */
    public static final int DEFAULT_HTTP_MAX_RESPONSE = 10 * 1024 * 1024;
    /** Default {@code http_request_timeout}: 30 s. */
    public static final Duration DEFAULT_HTTP_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    public WebTransportSettings {
        Objects.requireNonNull(httpRequestTimeout, "httpRequestTimeout");
        if (websocketMaxFrame < 1 || httpMaxRequestSize < 1 || httpMaxResponseSize < 1) {
            throw new IllegalArgumentException("sizes must be positive");
        }
    }

    /** Neither transport: the default. */
    public static WebTransportSettings disabled() {
        return new WebTransportSettings(null, DEFAULT_WEBSOCKET_MAX_FRAME, null, DEFAULT_HTTP_MAX_REQUEST,
                DEFAULT_HTTP_MAX_RESPONSE, DEFAULT_HTTP_REQUEST_TIMEOUT);
    }
}

// Binds the top-level keys of the WebSocket listener and the HTTP query endpoint.
package io.pgmux.config;

import java.time.Duration;

/** Reads {@code websocket_listen}, {@code http_listen} and their limits. */
final class WebTransportSettingsBinder {
    private static final int MAX_SIZE = PgmuxConfig.MAX_MESSAGE_LENGTH_LIMIT;

    private WebTransportSettingsBinder() {
    }

    static WebTransportSettings bind(SectionReader root) {
        HostPort websocket = root.hostPort("websocket_listen", null);
        int maxFrame = root.integer("websocket_max_frame_size", WebTransportSettings.DEFAULT_WEBSOCKET_MAX_FRAME,
                PgmuxConfig.MIN_MESSAGE_LENGTH, MAX_SIZE);
        HostPort http = root.hostPort("http_listen", null);
        int maxRequest = root.integer("http_max_request_size", WebTransportSettings.DEFAULT_HTTP_MAX_REQUEST,
                PgmuxConfig.MIN_MESSAGE_LENGTH, MAX_SIZE);
        int maxResponse = root.integer("http_max_response_size", WebTransportSettings.DEFAULT_HTTP_MAX_RESPONSE,
                PgmuxConfig.MIN_MESSAGE_LENGTH, MAX_SIZE);
        Duration timeout = root.duration("http_request_timeout", WebTransportSettings.DEFAULT_HTTP_REQUEST_TIMEOUT,
                false);
        return new WebTransportSettings(websocket, maxFrame, http, maxRequest, maxResponse, timeout);
    }
}

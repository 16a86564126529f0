// Publishes what LISTEN fan-out does on /metrics.
package io.pgmux.server.notify;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** The fan-out's figures as Prometheus series, read at each scrape (see docs/metrics.md). */
public final class NotifyMetrics {
    private NotifyMetrics() {
    }

    /** Registers the series of {@code hubs}, which the server keeps for as long as its pools. */
    public static void bind(MeterRegistry registry, NotifyHubs hubs) {
        NotifyFigures figures = hubs.figures();
        Gauge.builder("pgmux.notify.channels", hubs, NotifyHubs::channels)
                .description("Channels the listening server connections LISTEN on now, over every pool")
                .strongReference(true).register(registry);
        Gauge.builder("pgmux.notify.listening.clients", figures, NotifyFigures::listeningClients)
                .description("Clients that listen on at least one channel now")
                .strongReference(true).register(registry);
        FunctionCounter.builder("pgmux.notify.received", figures, NotifyFigures::received)
                .description("Notifications the listening server connections received from PostgreSQL")
                .register(registry);
        FunctionCounter.builder("pgmux.notify.delivered", figures, NotifyFigures::delivered)
                .description("Notifications (and listener-lost warnings) written to clients")
                .register(registry);
        FunctionCounter.builder("pgmux.notify.dropped", figures, NotifyFigures::dropped)
                .description("Notifications discarded for clients disconnected over pool.max_queued_notifications")
                .register(registry);
        FunctionCounter.builder("pgmux.notify.listeners.lost", figures, NotifyFigures::listenersLost)
                .description("Listening server connections lost and replaced").register(registry);
    }
}

// Measures one pool shared by every event loop against one pool per loop, with the same backend budget.
package io.pgmux.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.pgmux.testing.DetectLeaks;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Not a check but a measurement, skipped unless {@code -Dpgmux.benchmark=true}: clients on four event loops run
 * transactions (acquire, one statement answered after a fixed service time by a {@link FakeBackend}, release) for
 * a few seconds, once against one pool of 8 backends shared by all loops, once against four pools of 2, one per
 * loop, each client using its own loop's pool. Prints transactions per second and the time clients waited for a
 * backend. The fake backend isolates the pool: there is no PostgreSQL, so the figures show what the choice of
 * pool layout costs or gains, not what a database would do.
 *
 * <p>Loads: "even" spreads 64 busy clients evenly over the loops; "skewed" puts 40 on one loop and 1 on each of
 * the others, as happens when a few connections carry most of the traffic (clients are spread over loops when they
 * connect, not by how busy they will be). Service times: 1 ms (a short transaction) and 0 (the pool's own cost).
 */
@DetectLeaks
class PoolSharingBenchmarkTest {
    private static final int LOOPS = 4;
    private static final int BUDGET = 8;
    private static final Duration WARM_UP = Duration.ofSeconds(1);
    private static final Duration MEASURED = Duration.ofSeconds(Long.getLong("pgmux.benchmark.seconds", 4));

    @Test
    void sharedPoolAgainstOnePoolPerLoop() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("pgmux.benchmark"), "run with -Dpgmux.benchmark=true");
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-9s %-7s %-10s %10s %12s %12s %12s", "layout", "load", "service",
                "tx/s", "wait p50 µs", "wait p99 µs", "wait max µs"));
        for (int serviceMicros : new int[] {1000, 0}) {
            for (int[] load : new int[][] {{16, 16, 16, 16}, {40, 1, 1, 1}}) {
                for (boolean shared : new boolean[] {true, false}) {
                    lines.add(run(shared, load, serviceMicros));
                }
            }
        }
        lines.add(String.format(Locale.ROOT, "(%d processors, load average %.2f at the end)",
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        System.out.println(String.join("\n", lines));
    }

    private static String run(boolean shared, int[] clientsPerLoop, int serviceMicros) throws Exception {
        try (FakePoolBed bed = new FakePoolBed()) {
            List<EventLoop> loops = new ArrayList<>();
            List<Pool> pools = new ArrayList<>();
            Pool sharedPool = shared ? bed.pool(FakePoolBed.limits(BUDGET, Duration.ZERO)) : null;
            for (int i = 0; i < LOOPS; i++) {
                loops.add(bed.loop());
                pools.add(shared ? sharedPool : bed.pool("loop" + i, FakePoolBed.limits(BUDGET / LOOPS, Duration.ZERO),
                        bed.connector, ConnectionBudget.unlimited("database app")));
            }
            String statement = "SLEEP " + serviceMicros;
            List<Client> clients = new ArrayList<>();
            for (int i = 0; i < LOOPS; i++) {
                for (int c = 0; c < clientsPerLoop[i]; c++) {
                    clients.add(new Client(pools.get(i), loops.get(i), statement));
                }
            }
            clients.forEach(client -> client.loop.execute(client::next));
            Thread.sleep(WARM_UP.toMillis());
            clients.forEach(client -> client.loop.execute(client::startMeasuring));
            Thread.sleep(MEASURED.toMillis());
            for (Client client : clients) {
                client.loop.submit(client::stop).get(5, TimeUnit.SECONDS);
            }
            for (Client client : clients) {
                assertThat(client.failure).as("a transaction failed").isNull();
            }
            long transactions = clients.stream().mapToLong(client -> client.transactions).sum();
            long[] waits = clients.stream().flatMapToLong(client -> Arrays.stream(client.waits, 0, client.count))
                    .sorted().toArray();
            for (Client client : clients) {
                client.awaitIdle();
            }
            return String.format(Locale.ROOT, "%-9s %-7s %-10s %10.0f %12d %12d %12d", shared ? "shared" : "per-loop",
                    clientsPerLoop[1] == clientsPerLoop[0] ? "even" : "skewed", serviceMicros + " µs",
                    transactions / (MEASURED.toNanos() / 1e9), percentile(waits, 0.5) / 1000,
                    percentile(waits, 0.99) / 1000, waits.length == 0 ? 0 : waits[waits.length - 1] / 1000);
        }
    }

    private static long percentile(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }

    /** One busy client confined to its loop, as a client session is: acquire, run one statement, release, again. */
    private static final class Client {
        final Pool pool;
        final EventLoop loop;
        final String statement;
        boolean measuring;
        boolean stopped;
        boolean idle = true;
        long transactions;
        long[] waits = new long[1024];
        int count;
        volatile Throwable failure;

        Client(Pool pool, EventLoop loop, String statement) {
            this.pool = pool;
            this.loop = loop;
            this.statement = statement;
        }

        void startMeasuring() {
            measuring = true;
        }

        void stop() {
            stopped = true;
        }

        void next() {
            if (stopped) {
                idle = true;
                return;
            }
            idle = false;
            long start = System.nanoTime();
            pool.acquire(loop).addListener((Future<ServerConnection> acquired) -> {
                if (!acquired.isSuccess()) {
                    failure = acquired.cause();
                    idle = true;
                    return;
                }
                long waited = System.nanoTime() - start;
                ServerConnection server = acquired.getNow();
                server.execute(List.of(statement)).addListener(done -> loop.execute(() -> {
                    pool.release(server, false);
                    if (!done.isSuccess()) {
                        failure = done.cause();
                        idle = true;
                        return;
                    }
                    if (measuring && !stopped) {
                        record(waited);
                    }
                    next();
                }));
            });
        }

        private void record(long waited) {
            transactions++;
            if (count == waits.length) {
                waits = Arrays.copyOf(waits, count * 2);
            }
            waits[count++] = waited;
        }

        /** Waits (bounded) for the transaction in flight to end, so the pool closes with every backend back. */
        void awaitIdle() throws Exception {
            for (int i = 0; i < 500 && !loop.submit(() -> idle).get(5, TimeUnit.SECONDS); i++) {
                Thread.sleep(10);
            }
        }
    }
}

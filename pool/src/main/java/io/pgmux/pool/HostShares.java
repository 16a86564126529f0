// How many transactions each host of a pool was lent, and which backends wait so that the hosts stay even.
package io.pgmux.pool;

import io.netty.channel.EventLoop;
import io.pgmux.config.HostPort;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Balances the transactions of a pool over the hosts it has backends on (reads over standbys), whatever each host's
 * speed. Without it, once every backend is busy each released backend goes straight to the next waiting client, so
 * a host that answers faster gets its backends back sooner and serves a larger share: the split would follow each
 * host's throughput, not the hosts' turns.
 *
 * <p>The rule: each host counts the transactions it was lent. A host {@link #MARGIN} or more ahead of the host lent
 * the fewest is not lent to: a backend of the leading host that comes back while clients wait stays idle ("held"),
 * and the waiting clients get the next backend of the host behind (whose backends are all out: an idle one would
 * have gone to them); once that one is lent the leader is within the margin again and the held backend goes to the
 * next waiting client at once. A client that arrives is lent an idle backend of the host lent the fewest that has
 * one, and queues like the others when only leading hosts have one. So the split over any number of transactions is
 * even within the margin, and a fast host loses only the transactions that would have put it further ahead (a host
 * with more backends than another likewise: balance per host is what read replicas are for); the backends
 * themselves are never closed or moved for it.
 *
 * <p>No stall: a host behind may be stuck (every backend of it inside a long transaction). A backend is held only
 * while transactions keep being lent somewhere in the pool; after {@link #MAX_HOLD_NANOS} without any, the hosts
 * behind are set aside as stalled and the held backends are lent. A stalled host rejoins as soon as one of its
 * backends comes back, at most {@link #MAKE_UP} behind the others: a short stall (a loaded machine) is made up for,
 * what a stuck host missed beyond that is forgiven rather than made up in a long burst. A host that gets its first
 * backend joins even with the others. A host with no backend of the pool does not count.
 *
 * <p>With one host, or none but one with backends, {@link #balancing} is false and the ledger lends as it always
 * did; this object is then only told when backends open and close, never per transaction. Per transaction with
 * several hosts it walks its short list of hosts and allocates nothing.
 *
 * <p>Not thread-safe: guarded by the owning {@link PoolLedger}'s monitor, except {@link #holding} and
 * {@link #claimTimer}, which the pool reads without the lock.
 */
final class HostShares {
    /**
     * How many transactions a host may be ahead before its backends are held. Small, so the split stays within a
     * fraction of a percent of even over thousands of transactions; not 0 or 1, so hosts of the same speed, whose
     * backends come back in a jittery order, rarely see a hold at all.
     */
    static final int MARGIN = 4;
    /**
     * How long backends may be held while no transaction is lent anywhere in the pool: long enough for a host
     * answering in a few milliseconds to come back, short enough that a client never notices a stuck one.
     */
    static final long MAX_HOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** How far behind a stalled host may rejoin: a few holds' worth, made up for as it serves again. */
    static final int MAKE_UP = 4 * MARGIN;

    /** One host's count. */
    private static final class Share {
        final HostPort address;
        long lent;
        /** The pool's backends open on this host; a host with none takes no part. */
        int backends;
        /** Behind and not coming back within the hold bound: left out until one of its backends comes back. */
        boolean stalled;

        Share(HostPort address) {
            this.address = address;
        }
    }

    /** Every host that ever had a backend of the pool, fewest transactions lent first. */
    private final List<Share> shares = new ArrayList<>(2);
    /** Hosts with at least one backend. */
    private int serving;
    /** When a transaction was last lent on any host (while balancing). */
    private long lastLentNanos;
    /** A backend may be held back, or a client queued, because of the rule; read by the pool without the lock. */
    private volatile boolean holding;
    /** A hold timer is armed, or requested and about to be; guarded by the ledger. */
    private boolean timerArmed;
    /** A hold started with no timer armed: the pool claims this and arms one, outside the ledger's lock. */
    private final AtomicBoolean timerWanted = new AtomicBoolean();

    /** Whether two or more hosts have backends, so that the split between them matters. */
    boolean balancing() {
        return serving >= 2;
    }

    /** A backend of the pool opened on {@code address}. */
    void joined(HostPort address, long now) {
        Share share = find(address);
        if (share == null) {
            share = new Share(address);
            shares.add(0, share);
        }
        if (share.backends++ == 0) {
            serving++;
            // Starting from 0, or from where it left, it would take every transaction until it caught up.
            notFurtherBehindThan(share, 0);
            if (serving == 2) {
                lastLentNanos = now;
            }
        }
    }

    /** A backend of the pool on {@code address} closed. */
    void left(HostPort address) {
        Share share = find(address);
        if (share != null && share.backends > 0 && --share.backends == 0) {
            serving--;
        }
    }

    /** A backend of {@code address} came back: a stalled host takes part again. */
    void returned(HostPort address) {
        Share share = find(address);
        if (share != null && share.stalled) {
            share.stalled = false;
            notFurtherBehindThan(share, MAKE_UP);
        }
    }

    /** Whether a backend of {@code address} may be lent now, rather than held: see the class comment. */
    boolean mayLend(HostPort address) {
        Share share = find(address);
        return share == null || share.lent - floor() < MARGIN;
    }

    /** A transaction was lent on {@code address} at {@code now}. */
    void lent(HostPort address, long now) {
        Share share = find(address);
        if (share != null) {
            share.lent++;
            moveRight(share);
        }
        lastLentNanos = now;
    }

    /**
     * The idle backend to lend of the host lent the fewest transactions that has one, preferring {@code loop}'s,
     * counted as lent at {@code now}; null when there is none or when every host with one is ahead (a hold, noted).
     */
    ServerConnection lendIdle(IdleServers idle, EventLoop loop, long now, boolean leastRecentlyUsed) {
        ServerConnection server = takeLendable(idle, loop, leastRecentlyUsed);
        if (server != null) {
            lent(IdleServers.hostOf(server), now);
        }
        return server;
    }

    /** As {@link #lendIdle}, without counting it: for a held backend the ledger offers again, and counts then. */
    ServerConnection takeLendable(IdleServers idle, EventLoop loop, boolean leastRecentlyUsed) {
        long floor = floor();
        for (int i = 0; i < shares.size(); i++) {
            Share share = shares.get(i);
            if (share.backends == 0) {
                continue;
            }
            if (share.lent - floor >= MARGIN) {
                // Fewest first: every host from here on is as far ahead. Whether one of them has an idle backend
                // or not, the hold timer's look settles.
                held();
                return null;
            }
            ServerConnection server = idle.takeOn(share.address, loop, leastRecentlyUsed);
            if (server != null) {
                return server;
            }
        }
        return null;
    }

    /** Something was held back: mark it, and ask for a timer when none is armed. */
    void held() {
        holding = true;
        if (!timerArmed) {
            timerArmed = true;
            timerWanted.set(true);
        }
    }

    /** Whether backends may be held now; a volatile read, so that the pool tries to lend them only then. */
    boolean holding() {
        return holding;
    }

    /** Nothing is held any more (no client waits, or none of the held backends is left). */
    void notHolding() {
        holding = false;
    }

    /** True once per requested timer, for the caller to arm it; any thread, no lock. */
    boolean claimTimer() {
        return timerWanted.get() && timerWanted.compareAndSet(true, false);
    }

    /**
     * The hold timer fired at {@code now}; {@code stillHeld} says whether backends sit idle while clients wait.
     * Returns the nanoseconds after which to look again, or -1 when no timer is needed any more: nothing is held, or
     * nothing was lent for {@link #MAX_HOLD_NANOS}, in which case the hosts behind are set aside as stalled so that
     * the held backends may be lent.
     */
    long timerFired(long now, boolean stillHeld) {
        timerArmed = false;
        if (!stillHeld) {
            holding = false;
            return -1;
        }
        long quiet = now - lastLentNanos;
        if (quiet >= MAX_HOLD_NANOS) {
            stallThoseBehind();
            return -1;
        }
        timerArmed = true;
        return MAX_HOLD_NANOS - quiet;
    }

    private void stallThoseBehind() {
        long most = Long.MIN_VALUE;
        for (int i = 0; i < shares.size(); i++) {
            Share share = shares.get(i);
            if (share.backends > 0 && !share.stalled) {
                most = Math.max(most, share.lent);
            }
        }
        for (int i = 0; i < shares.size(); i++) {
            Share share = shares.get(i);
            if (share.backends > 0 && !share.stalled && share.lent + MARGIN <= most) {
                share.stalled = true;
            }
        }
    }

    /**
     * The fewest transactions lent to a host that takes part and is not stalled; {@link Long#MAX_VALUE} when there
     * is none, so that every host may then be lent to.
     */
    private long floor() {
        for (int i = 0; i < shares.size(); i++) {
            Share share = shares.get(i);
            if (share.backends > 0 && !share.stalled) {
                return share.lent;
            }
        }
        return Long.MAX_VALUE;
    }

    /** Raises {@code share}'s count to {@code behind} below the fewest lent of the other hosts that take part. */
    private void notFurtherBehindThan(Share share, int behind) {
        for (int i = 0; i < shares.size(); i++) {
            Share other = shares.get(i);
            if (other != share && other.backends > 0 && !other.stalled) {
                share.lent = Math.max(share.lent, other.lent - behind);
                break;
            }
        }
        moveRight(share);
    }

    /** Keeps {@link #shares} ordered after {@code share}'s count grew: moves it right past those with fewer. */
    private void moveRight(Share share) {
        int at = shares.indexOf(share);
        while (at + 1 < shares.size() && shares.get(at + 1).lent < share.lent) {
            shares.set(at, shares.get(at + 1));
            at++;
        }
        shares.set(at, share);
    }

    private Share find(HostPort address) {
        for (int i = 0; i < shares.size(); i++) {
            Share share = shares.get(i);
            if (share.address.equals(address)) {
                return share;
            }
        }
        return null;
    }
}

package io.pgmux.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LatencyBucketsTest {

    @Test
    void durationsLandInTheFirstBucketThatHoldsThem() {
        LatencyBuckets buckets = new LatencyBuckets();
        buckets.record(TimeUnit.MICROSECONDS.toNanos(50));   // <= 100 us
        buckets.record(TimeUnit.MICROSECONDS.toNanos(100));  // exactly on a bound: that bucket
        buckets.record(TimeUnit.MILLISECONDS.toNanos(3));    // <= 5 ms
        buckets.record(TimeUnit.SECONDS.toNanos(120));       // beyond 60 s: +Inf
        buckets.record(-5);                                  // a clock step counts as zero
        LatencyBuckets.Snapshot s = buckets.snapshot();
        assertThat(s.counts()).hasSize(LatencyBuckets.boundsSeconds().length + 1);
        assertThat(s.counts()[0]).isEqualTo(3);
        assertThat(s.counts()[5]).isEqualTo(1);
        assertThat(s.counts()[s.counts().length - 1]).isEqualTo(1);
        assertThat(s.count()).isEqualTo(5);
        assertThat(s.sumNanos()).isEqualTo(TimeUnit.MICROSECONDS.toNanos(150) + TimeUnit.MILLISECONDS.toNanos(3)
                + TimeUnit.SECONDS.toNanos(120));
    }

    @Test
    void quantilesAreTheUpperBoundOfTheirBucket() {
        LatencyBuckets buckets = new LatencyBuckets();
        assertThat(buckets.snapshot().quantileUpperBound(0.99)).isZero();
        for (int i = 0; i < 98; i++) {
            buckets.record(TimeUnit.MICROSECONDS.toNanos(80));
        }
        buckets.record(TimeUnit.MILLISECONDS.toNanos(20));
        buckets.record(TimeUnit.MILLISECONDS.toNanos(700));
        LatencyBuckets.Snapshot s = buckets.snapshot();
        assertThat(s.quantileUpperBound(0.5)).isEqualTo(0.0001);
        assertThat(s.quantileUpperBound(0.99)).isEqualTo(0.025);
        assertThat(s.quantileUpperBound(1.0)).isEqualTo(1.0);
    }
}

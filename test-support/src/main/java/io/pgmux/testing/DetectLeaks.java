// Marks a test class whose tests must fail when Netty reports a leaked buffer.
package io.pgmux.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fails every test of the annotated class after which Netty reports a leaked reference-counted object
 * (see {@link LeakDetectionExtension} for how, and for the ordering hazard).
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(LeakDetectionExtension.class)
public @interface DetectLeaks {
}

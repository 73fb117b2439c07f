package org.mwan4.lab;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class (or method) against a real {@link Lab}: built before, removed after even when a
 * test fails, injected as a {@code Lab} parameter; skipped with the reason when not root. Tagged {@code kernel}.
 *
 * <pre>{@code
 * @WithLab(isps = 2)
 * class FailoverTest {
 *     @Test void failsOver(Lab lab) { lab.isp(1).linkDown(); ... }
 * }
 * }</pre>
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(LabExtension.class)
@Tag("kernel")
public @interface WithLab {
    int isps() default 2;

    int lanHosts() default 4;

    int targets() default 2;

    /** Start the internet's servers (TCP/UDP whoami, HTTP). */
    boolean servers() default true;

    /** A fresh lab for every test instead of one per class. */
    boolean perTest() default false;
}

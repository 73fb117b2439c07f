package org.mwan4.lab;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * JUnit 5 lifecycle for {@link Lab}: one lab per test class or per test, always closed in the matching after
 * callback (which JUnit runs also when the test or a before method failed), plus a {@code Lab} parameter.
 * When the machine can't build a lab (not root, no namespaces) the tests are skipped with the reason.
 *
 * <p>Two ways to use it: {@link WithLab} on the class or method, or a field:
 * <pre>{@code
 * @RegisterExtension static final LabExtension LAB = LabExtension.perClass(b -> b.isps(3));
 * ... LAB.lab() ...
 * }</pre>
 */
public final class LabExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback,
        ParameterResolver {
    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(LabExtension.class);

    private final Optional<Boolean> perTestOverride;
    private final Consumer<Lab.Builder> configure;
    private volatile Lab current;

    /** For {@code @ExtendWith} / {@link WithLab}: settings come from the annotation. */
    public LabExtension() {
        this(Optional.empty(), b -> {});
    }

    private LabExtension(Optional<Boolean> perTest, Consumer<Lab.Builder> configure) {
        this.perTestOverride = perTest;
        this.configure = configure;
    }

    /** One lab for the whole class (register on a static field). */
    public static LabExtension perClass(Consumer<Lab.Builder> configure) {
        return new LabExtension(Optional.of(false), configure);
    }

    /** A fresh lab for every test. */
    public static LabExtension perTest(Consumer<Lab.Builder> configure) {
        return new LabExtension(Optional.of(true), configure);
    }

    /** The lab of the running test. */
    public Lab lab() {
        Lab l = current;
        if (l == null) {
            throw new IllegalStateException("no lab: LabExtension is not active for this test (static field for perClass?)");
        }
        return l;
    }

    @Override
    public void beforeAll(ExtensionContext ctx) {
        if (!perTest(ctx)) {
            start(ctx);
        }
    }

    @Override
    public void beforeEach(ExtensionContext ctx) {
        // a method's own @WithLab always means its own lab; and with no class lab (registered on a method only) too
        boolean ownSettings = ctx.getTestMethod().flatMap(m -> AnnotationSupport.findAnnotation(m, WithLab.class)).isPresent();
        if (perTest(ctx) || ownSettings || ctx.getStore(STORE).get(Lab.class, Lab.class) == null) {
            start(ctx);
        }
    }

    /** Closes the test's own lab (the method store holds one only if beforeEach built it). */
    @Override
    public void afterEach(ExtensionContext ctx) {
        stop(ctx);
    }

    @Override
    public void afterAll(ExtensionContext ctx) {
        stop(ctx);
    }

    private void start(ExtensionContext ctx) {
        List<String> problems = Preflight.problems();
        Assumptions.assumeTrue(problems.isEmpty(), () -> "lab test skipped: " + String.join("; ", problems));
        Lab.removeLeftovers(Lab.TEST_PREFIX);
        Lab.Builder b = Lab.builder().prefix(Lab.TEST_PREFIX);
        settings(ctx).ifPresent(w -> b.isps(w.isps()).lanHosts(w.lanHosts()).targets(w.targets()).servers(w.servers()));
        configure.accept(b);
        Lab lab = b.build();
        // the store closes AutoCloseable values when its context ends, even if stop() is never reached
        ctx.getStore(STORE).put(Lab.class, lab);
        current = lab;
    }

    private void stop(ExtensionContext ctx) {
        Lab lab = ctx.getStore(STORE).remove(Lab.class, Lab.class); // this context's own store only
        if (lab != null) {
            current = ctx.getParent().map(p -> p.getStore(STORE).get(Lab.class, Lab.class)).orElse(null);
            lab.close();
        }
    }

    private boolean perTest(ExtensionContext ctx) {
        return perTestOverride.orElseGet(() -> settings(ctx).map(WithLab::perTest).orElse(false));
    }

    /** The nearest {@link WithLab}: on the test method, else on the class or an enclosing class. */
    private static Optional<WithLab> settings(ExtensionContext ctx) {
        Optional<WithLab> onMethod = ctx.getTestMethod().flatMap(m -> AnnotationSupport.findAnnotation(m, WithLab.class));
        if (onMethod.isPresent()) {
            return onMethod;
        }
        for (Optional<Class<?>> c = ctx.getTestClass(); c.isPresent(); c = Optional.ofNullable(c.get().getEnclosingClass())) {
            Optional<WithLab> w = AnnotationSupport.findAnnotation(c.get(), WithLab.class);
            if (w.isPresent()) {
                return w;
            }
        }
        return Optional.empty();
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext ctx) {
        return p.getParameter().getType() == Lab.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext ctx) {
        Lab lab = ctx.getStore(STORE).get(Lab.class, Lab.class); // falls back to the parent contexts' stores
        if (lab == null) {
            throw new IllegalStateException("no lab for " + ctx.getDisplayName());
        }
        return lab;
    }
}

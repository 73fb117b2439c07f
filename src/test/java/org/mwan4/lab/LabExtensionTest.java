package org.mwan4.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/** The JUnit extension really builds labs, injects them, and removes them also after a failing test. */
class LabExtensionTest {

    @Nested
    @WithLab(isps = 1, lanHosts = 2, servers = false)
    class PerClassAnnotation {
        @Test
        void injectsTheConfiguredLab(Lab lab) {
            assertThat(lab.isps()).hasSize(1);
            assertThat(lab.topology().lan().hosts4()).hasSize(2);
            assertThat(lab.id()).startsWith(Lab.TEST_PREFIX);
        }

        @Test
        @WithLab(isps = 3, servers = false)
        void aMethodAnnotationGetsItsOwnLab(Lab lab) {
            assertThat(lab.isps()).hasSize(3);
        }
    }

    /** Test 1 fails inside its lab (the handler below turns the failure into a pass); test 2 checks the lab is gone. */
    @Nested
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class PerTestRegistered {
        static final List<List<String>> LABS = new ArrayList<>();

        @RegisterExtension
        final LabExtension lab = LabExtension.perTest(b -> b.isps(1).servers(false));

        /** Swallows only the planned failure, after JUnit has seen the test throw. */
        @RegisterExtension
        final TestExecutionExceptionHandler planned = (ctx, t) -> {
            if (!(t instanceof PlannedFailure)) {
                throw t;
            }
        };

        @Test
        @Order(1)
        void failsWhileItsLabIsUp() {
            LABS.add(lab.lab().topology().namespaces());
            assertThat(HostCommand.of("ip", "netns", "list").run()).contains(lab.lab().router().name());
            throw new PlannedFailure();
        }

        @Test
        @Order(2)
        void theFailedTestsLabIsGoneAndThisOneIsFresh() {
            assertThat(LABS).hasSize(1);
            String all = HostCommand.of("ip", "netns", "list").run();
            LABS.getFirst().forEach(n -> assertThat(all).doesNotContain(n));
            assertThat(lab.lab().topology().namespaces()).doesNotContainAnyElementsOf(LABS.getFirst());
        }
    }

    static final class PlannedFailure extends RuntimeException {
        PlannedFailure() {
            super("planned failure inside a lab test");
        }
    }
}

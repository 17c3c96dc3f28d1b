package io.provisioninghub.routes.conformance;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Test classes for {@link ConformanceRegistryTest} to point the reference checker at: an inherited test, a
 * parameterized one, a {@code @Nested} one, a disabled one and a plain method. Their names do not match
 * surefire's includes and their bodies are empty, so running them proves nothing and costs nothing.
 */
final class CheckerFixtures {

    private CheckerFixtures() {
    }

    abstract static class BaseCases {
        @Test
        void inheritedCase() {
        }
    }

    static class Cases extends BaseCases {
        @ParameterizedTest
        @ValueSource(ints = {1, 2})
        void parameterizedCase(int value) {
        }

        @Test
        @Disabled("fixture: a disabled test proves nothing")
        void disabledCase() {
        }

        void notATest() {
        }

        @Nested
        class Inner {
            @Test
            void nestedCase() {
            }
        }
    }
}

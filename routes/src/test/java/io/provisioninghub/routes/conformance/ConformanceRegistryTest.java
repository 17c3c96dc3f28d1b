package io.provisioninghub.routes.conformance;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The RCC.14 conformance registry ({@code docs/conformance/rcc14.yaml}) is well formed, every test it names
 * exists and runs, and {@code docs/conformance.md} is its current rendering. With
 * {@code -Dconformance.write=true} the page is written instead of compared. A pure file check: no application,
 * no network, well under a second.
 */
class ConformanceRegistryTest {

    static final String CLASS = "io.provisioninghub.routes.conformance.CheckerFixtures$Cases";

    static Path root;
    static ConformanceRegistry registry;

    @BeforeAll
    static void readRegistry() throws IOException {
        root = repositoryRoot();
        registry = ConformanceRegistry.parse(Files.readString(root.resolve(ConformancePage.REGISTRY_PATH), StandardCharsets.UTF_8));
    }

    @Test
    void registryFollowsTheSchema() {
        assertThat(registry.problems())
                .as("schema problems in %s", ConformancePage.REGISTRY_PATH)
                .isEmpty();
    }

    @Test
    void everyNamedTestExists() {
        List<String> missing = new TestReferences(getClass().getClassLoader()).problems(registry);
        if (!missing.isEmpty()) {
            fail(ConformancePage.REGISTRY_PATH + " names " + missing.size() + " test(s) that do not exist or do not run:\n  "
                    + String.join("\n  ", missing));
        }
    }

    @Test
    void conformancePageIsCurrent() throws IOException {
        assertThat(registry.problems()).as("fix the registry before rendering it").isEmpty();
        String rendered = ConformancePage.render(registry);
        Path page = root.resolve(ConformancePage.PAGE_PATH);
        if (Boolean.parseBoolean(System.getProperty("conformance.write"))) {
            Files.writeString(page, rendered, StandardCharsets.UTF_8);
            System.out.println("Wrote " + page);
            return;
        }
        if (!Files.exists(page)) {
            fail(ConformancePage.PAGE_PATH + " is missing. Generate it with:\n  " + ConformancePage.REGENERATE);
        }
        String committed = Files.readString(page, StandardCharsets.UTF_8).replace("\r\n", "\n");
        if (!committed.equals(rendered)) {
            fail(ConformancePage.PAGE_PATH + " is stale: it differs from the rendering of " + ConformancePage.REGISTRY_PATH
                    + " (" + firstDifference(committed, rendered) + "). Regenerate it with:\n  " + ConformancePage.REGENERATE);
        }
    }

    // ------------------------------------------------------------------ the checks themselves are checked

    @Test
    void checkerFailsOnARegistryNamingAMissingTest() {
        ConformanceRegistry inMemory = ConformanceRegistry.parse(registryWith("""
                  - id: RCC14-2.2-a
                    section: "2.2"
                    shall: A shall proven by tests that exist and by some that do not.
                    status: done
                    tests:
                      - io.provisioninghub.routes.conformance.ConformanceRegistryTest#everyNamedTestExists
                      - io.provisioninghub.routes.conformance.NoSuchTest#anything
                      - io.provisioninghub.routes.conformance.ConformanceRegistryTest#noSuchMethod
                      - %1$s#notATest
                      - %1$s#disabledCase
                """.formatted(CLASS)));
        assertThat(inMemory.problems()).isEmpty();

        List<String> problems = new TestReferences(getClass().getClassLoader()).problems(inMemory);

        assertThat(problems).hasSize(4);
        assertThat(problems.get(0)).startsWith("RCC14-2.2-a names io.provisioninghub.routes.conformance.NoSuchTest#anything")
                .contains("no class");
        assertThat(problems.get(1)).contains("#noSuchMethod").contains("no method noSuchMethod");
        assertThat(problems.get(2)).contains("#notATest").contains("not a JUnit 5 test");
        assertThat(problems.get(3)).contains("#disabledCase").contains("@Disabled");
    }

    @Test
    void checkerFindsInheritedParameterizedAndNestedTests() {
        TestReferences checker = new TestReferences(getClass().getClassLoader());

        assertThat(checker.check(CLASS + "#inheritedCase")).isEmpty();
        assertThat(checker.check(CLASS + "#parameterizedCase")).isEmpty();
        assertThat(checker.check(CLASS + "#nestedCase")).as("found through the @Nested class").isEmpty();
        assertThat(checker.check(CLASS + "$Inner#nestedCase")).isEmpty();
        assertThat(checker.check("io.provisioninghub.routes.conformance.CheckerFixtures.Cases.Inner#nestedCase")).isEmpty();
        assertThat(checker.check("io.provisioninghub.routes.conformance.CheckerFixtures$BaseCases#inheritedCase"))
                .hasValueSatisfying(problem -> assertThat(problem).contains("abstract"));
    }

    @Test
    void schemaCheckReportsEveryBrokenEntry() {
        ConformanceRegistry broken = ConformanceRegistry.parse(registryWith("""
                  - id: RCC14-2.2-a
                    section: "2.2"
                    shall: Done, yet with a gap and without tests.
                    status: done
                    gap: something
                  - id: RCC14-2.2-a
                    section: "2.2"
                    shall: Same id again, partial without gap or tests.
                    status: partial
                  - id: RCC14-9.9-a
                    section: 2.2
                    shall: Section not quoted, id not matching it, status unknown.
                    status: finished
                    requirement: cfg4
                    tests: [NotQualified#x]
                """));

        assertThat(broken.problems()).containsExactlyInAnyOrder(
                "RCC14-2.2-a: a done entry has no gap (if something is missing, the status is partial)",
                "RCC14-2.2-a: a done entry must name the tests that prove it",
                "RCC14-2.2-a: duplicate id",
                "RCC14-2.2-a: gap is required when status is partial",
                "RCC14-2.2-a: a partial entry must name the tests that prove it",
                "RCC14-9.9-a: section must be a quoted string such as \"2.2.2\" (YAML read 2.2 as Double)",
                "RCC14-9.9-a: requirement 'cfg4' is not an id such as CFG-4",
                "RCC14-9.9-a: status must be one of done, partial, not-done (was finished)",
                "RCC14-9.9-a: test 'NotQualified#x' is not fully.qualified.TestClass#method");
    }

    @Test
    void pageIsDeterministicAndKeepsTablesIntact() {
        ConformanceRegistry inMemory = ConformanceRegistry.parse(registryWith("""
                  - id: RCC14-2.2-b
                    section: "2.2"
                    shall: The host is config.rcs.mnc<MNC>.mcc<MCC> | and a pipe.
                    status: not-done
                    gap: >-
                      Spread over
                      two lines.
                  - id: RCC14-2.2-a
                    section: "2.2"
                    shall: First by file order.
                    requirement: [CFG-1, CFG-2]
                    status: partial
                    gap: A gap.
                    tests: [io.provisioninghub.routes.conformance.ConformanceRegistryTest#everyNamedTestExists]
                """));
        assertThat(inMemory.problems()).isEmpty();

        String page = ConformancePage.render(inMemory);

        assertThat(page).isEqualTo(ConformancePage.render(ConformanceRegistry.parse(registryWith("""
                  - id: RCC14-2.2-b
                    section: "2.2"
                    shall: The host is config.rcs.mnc<MNC>.mcc<MCC> | and a pipe.
                    status: not-done
                    gap: >-
                      Spread over
                      two lines.
                  - id: RCC14-2.2-a
                    section: "2.2"
                    shall: First by file order.
                    requirement: [CFG-1, CFG-2]
                    status: partial
                    gap: A gap.
                    tests: [io.provisioninghub.routes.conformance.ConformanceRegistryTest#everyNamedTestExists]
                """))));
        assertThat(page).startsWith("<!-- Generated from docs/conformance/rcc14.yaml")
                .contains(ConformancePage.REGENERATE)
                .contains("| done | 0 |\n| partial | 1 |\n| not-done | 1 |\n| **total** | **2** |")
                .contains("| RCC14-2.2-b | The host is config.rcs.mnc&lt;MNC&gt;.mcc&lt;MCC&gt; \\| and a pipe. | — | not-done "
                        + "| Spread over two lines. | — |")
                .contains("| RCC14-2.2-a | First by file order. | CFG-1, CFG-2 | partial | A gap. "
                        + "| `conformance.ConformanceRegistryTest#everyNamedTestExists` |")
                .endsWith("|\n");
        assertThat(page.indexOf("RCC14-2.2-b")).as("rows keep the registry's order").isLessThan(page.indexOf("RCC14-2.2-a"));
    }

    // ------------------------------------------------------------------ helpers

    /** A registry with one section, 2.2, and the given entries (YAML list items indented by two spaces). */
    private static String registryWith(String entries) {
        return """
                spec: Test spec
                sections:
                  "2.2": Configuration over cellular networks
                entries:
                """ + entries;
    }

    /**
     * The repository root: {@code maven.multiModuleProjectDirectory} when Maven passes it, otherwise the nearest
     * directory at or above the working directory that holds the registry.
     */
    static Path repositoryRoot() {
        String fromMaven = System.getProperty("maven.multiModuleProjectDirectory");
        if (fromMaven != null && !fromMaven.isBlank()
                && Files.isRegularFile(Path.of(fromMaven).resolve(ConformancePage.REGISTRY_PATH))) {
            return Path.of(fromMaven).toAbsolutePath();
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(ConformancePage.REGISTRY_PATH))) {
                return dir;
            }
        }
        throw new IllegalStateException("no " + ConformancePage.REGISTRY_PATH + " at or above " + start);
    }

    private static String firstDifference(String committed, String rendered) {
        String[] a = committed.split("\n", -1);
        String[] b = rendered.split("\n", -1);
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            if (!a[i].equals(b[i])) {
                return "first difference at line " + (i + 1);
            }
        }
        return "the committed page has " + a.length + " lines, the rendering " + b.length;
    }
}

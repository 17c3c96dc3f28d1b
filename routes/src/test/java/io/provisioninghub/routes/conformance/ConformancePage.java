package io.provisioninghub.routes.conformance;

import io.provisioninghub.routes.conformance.ConformanceRegistry.Entry;
import io.provisioninghub.routes.conformance.ConformanceRegistry.Status;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders {@code docs/conformance.md} from the registry. The output depends on the registry alone (no date, no
 * machine, no map iteration order), so the committed page can be compared byte for byte.
 */
final class ConformancePage {

    static final String REGISTRY_PATH = "docs/conformance/rcc14.yaml";
    static final String PAGE_PATH = "docs/conformance.md";
    static final String REGENERATE = "./mvnw -pl routes test -Dtest=ConformanceRegistryTest -Dconformance.write=true";

    /** Test references are shown without this prefix, to keep the tables readable. */
    private static final String COMMON_PACKAGE = "io.provisioninghub.routes.";

    private ConformancePage() {
    }

    static String render(ConformanceRegistry registry) {
        StringBuilder out = new StringBuilder();
        out.append("<!-- Generated from ").append(REGISTRY_PATH).append(" by ConformanceRegistryTest: do not edit. -->\n");
        out.append("# RCC.14 conformance\n\n");
        out.append("Generated from [`conformance/rcc14.yaml`](conformance/rcc14.yaml); do not edit this page. ")
                .append("Edit the registry, then regenerate the page (the build fails while it is stale):\n\n");
        out.append("```sh\n").append(REGENERATE).append("\n```\n\n");
        out.append("Spec: ").append(inline(registry.spec())).append(".\n");
        if (!registry.scope().isEmpty()) {
            out.append("\n").append(inline(registry.scope())).append("\n");
        }
        out.append("\nEach row is a \"shall\" of the spec that the configuration server owns; the device's own shalls ")
                .append("are not listed. Status: **done**: implemented, and the named tests prove it; **partial**: ")
                .append("the named tests prove part of it, the gap says what is missing; **not-done**: not ")
                .append("implemented, or implemented but proven by no test, the gap says which. Tests are named ")
                .append("relative to `").append(COMMON_PACKAGE, 0, COMMON_PACKAGE.length() - 1).append("`.\n\n");

        Map<String, List<Entry>> bySection = new TreeMap<>(ConformanceRegistry.SECTION_ORDER);
        for (Entry entry : registry.entries()) {
            bySection.computeIfAbsent(entry.section(), s -> new ArrayList<>()).add(entry);
        }

        out.append("## Summary\n\n");
        out.append("| Status | Shalls |\n|---|---:|\n");
        Map<Status, Integer> totals = count(registry.entries());
        for (Status status : Status.values()) {
            out.append("| ").append(status.label).append(" | ").append(totals.get(status)).append(" |\n");
        }
        out.append("| **total** | **").append(registry.entries().size()).append("** |\n\n");

        out.append("| Section | done | partial | not-done |\n|---|---:|---:|---:|\n");
        for (Map.Entry<String, List<Entry>> section : bySection.entrySet()) {
            Map<Status, Integer> counts = count(section.getValue());
            out.append("| [§").append(section.getKey()).append(' ')
                    .append(cell(registry.sections().getOrDefault(section.getKey(), ""))).append("](#")
                    .append(anchor(section.getKey(), registry.sections().getOrDefault(section.getKey(), ""))).append(") | ")
                    .append(counts.get(Status.DONE)).append(" | ")
                    .append(counts.get(Status.PARTIAL)).append(" | ")
                    .append(counts.get(Status.NOT_DONE)).append(" |\n");
        }

        for (Map.Entry<String, List<Entry>> section : bySection.entrySet()) {
            out.append("\n## ").append(heading(section.getKey(), registry.sections().getOrDefault(section.getKey(), "")))
                    .append("\n\n");
            out.append("| Id | Shall | Requirement | Status | Gap | Tests |\n|---|---|---|---|---|---|\n");
            for (Entry entry : section.getValue()) {
                out.append("| ").append(entry.id())
                        .append(" | ").append(cell(entry.shall()))
                        .append(" | ").append(entry.requirements().isEmpty() ? "—" : String.join(", ", entry.requirements()))
                        .append(" | ").append(entry.status() == null ? "?" : entry.status().label)
                        .append(" | ").append(entry.gap() == null ? "—" : cell(entry.gap()))
                        .append(" | ").append(tests(entry.tests()))
                        .append(" |\n");
            }
        }
        return out.toString();
    }

    private static Map<Status, Integer> count(List<Entry> entries) {
        Map<Status, Integer> counts = new EnumMap<>(Status.class);
        for (Status status : Status.values()) {
            counts.put(status, 0);
        }
        for (Entry entry : entries) {
            if (entry.status() != null) {
                counts.merge(entry.status(), 1, Integer::sum);
            }
        }
        return counts;
    }

    private static String heading(String section, String title) {
        return "§" + section + " " + inline(title);
    }

    /** The anchor GitHub derives from {@link #heading}: lower case, punctuation dropped, spaces to dashes. */
    static String anchor(String section, String title) {
        String text = (section + " " + title).toLowerCase(java.util.Locale.ROOT);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                out.append(c);
            } else if (c == ' ') {
                out.append('-');
            }
        }
        return out.toString();
    }

    private static String tests(List<String> tests) {
        if (tests.isEmpty()) {
            return "—";
        }
        List<String> shown = new ArrayList<>();
        for (String test : tests) {
            String name = test.startsWith(COMMON_PACKAGE) ? test.substring(COMMON_PACKAGE.length()) : test;
            shown.add("`" + name.replace("|", "\\|") + "`");
        }
        return String.join("<br>", shown);
    }

    /** Text for a table cell: one line, pipes escaped, angle brackets and ampersands as entities. */
    static String cell(String text) {
        return inline(text).replace("|", "\\|");
    }

    /** Text outside code: one line, and &amp; &lt; &gt; as entities so that Markdown shows them literally. */
    static String inline(String text) {
        return text.replaceAll("\\s*\\R\\s*", " ")
                .replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;");
    }
}

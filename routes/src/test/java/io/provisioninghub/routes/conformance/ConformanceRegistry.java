package io.provisioninghub.routes.conformance;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The RCC.14 conformance registry ({@code docs/conformance/rcc14.yaml}) read into memory, with every schema
 * problem collected rather than thrown, so that one run reports them all.
 */
final class ConformanceRegistry {

    /** The statuses, in the order the page lists them. */
    enum Status {
        DONE("done"), PARTIAL("partial"), NOT_DONE("not-done");

        final String label;

        Status(String label) {
            this.label = label;
        }

        static Status of(String label) {
            for (Status status : values()) {
                if (status.label.equals(label)) {
                    return status;
                }
            }
            return null;
        }
    }

    /** One "shall" of the spec that the server owns. {@code gap} is null when done. */
    record Entry(String id, String section, String shall, List<String> requirements, Status status, String gap,
                 List<String> tests) {
    }

    private static final Set<String> ROOT_KEYS = Set.of("spec", "scope", "sections", "entries");
    private static final Set<String> ENTRY_KEYS = Set.of("id", "section", "shall", "requirement", "status", "gap", "tests");
    private static final Pattern SECTION = Pattern.compile("[1-9][0-9]*(\\.[1-9][0-9]*)*");
    private static final Pattern ID_SUFFIX = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern REQUIREMENT = Pattern.compile("[A-Z]+-[1-9][0-9]*");
    private static final Pattern TEST_REFERENCE =
            Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)+#[A-Za-z_$][A-Za-z0-9_$]*");

    private final String spec;
    private final String scope;
    private final Map<String, String> sections;
    private final List<Entry> entries;
    private final List<String> problems;

    private ConformanceRegistry(String spec, String scope, Map<String, String> sections, List<Entry> entries,
                                List<String> problems) {
        this.spec = spec;
        this.scope = scope;
        this.sections = sections;
        this.entries = entries;
        this.problems = problems;
    }

    String spec() {
        return spec;
    }

    String scope() {
        return scope;
    }

    /** Section number → title, in the order the YAML lists them. */
    Map<String, String> sections() {
        return sections;
    }

    List<Entry> entries() {
        return entries;
    }

    /** Schema violations, one sentence each; empty for a valid registry. */
    List<String> problems() {
        return problems;
    }

    /** Orders section numbers as the spec does: 2.2 &lt; 2.2.1 &lt; 2.2.10 &lt; 2.3 &lt; 3. */
    static final Comparator<String> SECTION_ORDER = (a, b) -> {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    };

    static ConformanceRegistry parse(String yamlText) {
        List<String> problems = new ArrayList<>();
        Object root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            root = new Yaml(new SafeConstructor(options)).load(yamlText);
        } catch (YAMLException e) {
            problems.add("the registry is not valid YAML: " + e.getMessage());
            return new ConformanceRegistry("", "", Map.of(), List.of(), problems);
        }
        if (!(root instanceof Map<?, ?> map)) {
            problems.add("the registry must be a mapping with spec, sections and entries");
            return new ConformanceRegistry("", "", Map.of(), List.of(), problems);
        }
        for (Object key : map.keySet()) {
            if (!ROOT_KEYS.contains(String.valueOf(key))) {
                problems.add("unknown top-level key '" + key + "' (allowed: " + sorted(ROOT_KEYS) + ")");
            }
        }
        String spec = requiredText(map.get("spec"), "spec", problems);
        String scope = map.get("scope") == null ? "" : requiredText(map.get("scope"), "scope", problems);
        Map<String, String> sections = readSections(map.get("sections"), problems);
        List<Entry> entries = new ArrayList<>();
        Object rawEntries = map.get("entries");
        if (!(rawEntries instanceof List<?> list) || list.isEmpty()) {
            problems.add("entries must be a non-empty list");
        } else {
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                Entry entry = readEntry(list.get(i), i, sections, problems);
                if (entry != null) {
                    if (entry.id() != null && !ids.add(entry.id())) {
                        problems.add(entry.id() + ": duplicate id");
                    }
                    entries.add(entry);
                }
            }
        }
        Set<String> used = new HashSet<>();
        entries.forEach(e -> used.add(e.section()));
        for (String section : sections.keySet()) {
            if (!used.contains(section)) {
                problems.add("section " + section + " is declared but no entry uses it");
            }
        }
        return new ConformanceRegistry(spec, scope, sections, List.copyOf(entries), List.copyOf(problems));
    }

    private static Map<String, String> readSections(Object raw, List<String> problems) {
        Map<String, String> sections = new LinkedHashMap<>();
        if (!(raw instanceof Map<?, ?> map) || map.isEmpty()) {
            problems.add("sections must map section numbers to titles");
            return sections;
        }
        map.forEach((key, title) -> {
            if (!(key instanceof String number)) {
                problems.add("section key " + key + " must be a quoted string (YAML reads it as "
                        + key.getClass().getSimpleName() + ")");
                return;
            }
            if (!SECTION.matcher(number).matches()) {
                problems.add("section key '" + number + "' is not a section number like 2.2.1");
                return;
            }
            if (!(title instanceof String text) || text.isBlank()) {
                problems.add("section " + number + " needs a title");
                return;
            }
            sections.put(number, text.strip());
        });
        return sections;
    }

    private static Entry readEntry(Object raw, int index, Map<String, String> sections, List<String> problems) {
        if (!(raw instanceof Map<?, ?> map)) {
            problems.add("entries[" + index + "] must be a mapping");
            return null;
        }
        Object rawId = map.get("id");
        String id = rawId instanceof String s && !s.isBlank() ? s.strip() : null;
        String where = id != null ? id : "entries[" + index + "]";
        if (id == null) {
            problems.add(where + ": id is required (a string like RCC14-2.2.2-a)");
        }
        for (Object key : map.keySet()) {
            if (!ENTRY_KEYS.contains(String.valueOf(key))) {
                problems.add(where + ": unknown key '" + key + "' (allowed: " + sorted(ENTRY_KEYS) + ")");
            }
        }

        Object rawSection = map.get("section");
        String section = null;
        if (!(rawSection instanceof String s)) {
            problems.add(where + ": section must be a quoted string such as \"2.2.2\""
                    + (rawSection == null ? "" : " (YAML read " + rawSection + " as " + rawSection.getClass().getSimpleName() + ")"));
        } else if (!sections.containsKey(s)) {
            problems.add(where + ": section " + s + " is not declared under sections");
            section = s;
        } else {
            section = s;
        }
        if (id != null && section != null) {
            String prefix = "RCC14-" + section + "-";
            if (!id.startsWith(prefix) || !ID_SUFFIX.matcher(id.substring(prefix.length())).matches()) {
                problems.add(where + ": id must be " + prefix + "<lower-case letters, digits or dashes>");
            }
        }

        Object rawShall = map.get("shall");
        String shall = null;
        if (!(rawShall instanceof String s) || s.isBlank()) {
            problems.add(where + ": shall is required (the spec's requirement in one sentence)");
        } else if (s.strip().contains("\n")) {
            problems.add(where + ": shall must be one line (use a folded '>-' scalar without blank lines)");
            shall = s.strip();
        } else {
            shall = s.strip();
        }

        List<String> requirements = new ArrayList<>();
        Object rawRequirement = map.get("requirement");
        if (rawRequirement instanceof String s) {
            requirements.add(s.strip());
        } else if (rawRequirement instanceof List<?> list) {
            for (Object item : list) {
                requirements.add(String.valueOf(item).strip());
            }
            if (list.isEmpty()) {
                problems.add(where + ": requirement is an empty list (leave it out instead)");
            }
        } else if (rawRequirement != null) {
            problems.add(where + ": requirement must be an id such as CFG-4 or a list of them");
        }
        for (String requirement : requirements) {
            if (!REQUIREMENT.matcher(requirement).matches()) {
                problems.add(where + ": requirement '" + requirement + "' is not an id such as CFG-4");
            }
        }
        if (new HashSet<>(requirements).size() != requirements.size()) {
            problems.add(where + ": requirement lists an id twice");
        }

        Object rawStatus = map.get("status");
        Status status = rawStatus instanceof String s ? Status.of(s) : null;
        if (status == null) {
            problems.add(where + ": status must be one of done, partial, not-done (was " + rawStatus + ")");
        }

        Object rawGap = map.get("gap");
        String gap = rawGap instanceof String s && !s.isBlank() ? s.strip() : null;
        if (rawGap != null && gap == null) {
            problems.add(where + ": gap must be a non-empty string");
        }
        if (status == Status.DONE && rawGap != null) {
            problems.add(where + ": a done entry has no gap (if something is missing, the status is partial)");
        }
        if (status != null && status != Status.DONE && gap == null) {
            problems.add(where + ": gap is required when status is " + status.label);
        }

        List<String> tests = new ArrayList<>();
        Object rawTests = map.get("tests");
        if (rawTests instanceof List<?> list) {
            for (Object item : list) {
                if (!(item instanceof String s) || !TEST_REFERENCE.matcher(s.strip()).matches()) {
                    problems.add(where + ": test '" + item + "' is not fully.qualified.TestClass#method");
                } else {
                    tests.add(s.strip());
                }
            }
        } else if (rawTests != null) {
            problems.add(where + ": tests must be a list of fully.qualified.TestClass#method");
        }
        if (new HashSet<>(tests).size() != tests.size()) {
            problems.add(where + ": tests names a test twice");
        }
        if ((status == Status.DONE || status == Status.PARTIAL) && tests.isEmpty()) {
            problems.add(where + ": a " + status.label + " entry must name the tests that prove it");
        }
        return new Entry(id, section, shall, List.copyOf(requirements), status, gap, List.copyOf(tests));
    }

    private static String requiredText(Object value, String name, List<String> problems) {
        if (!(value instanceof String s) || s.isBlank()) {
            problems.add(name + " is required (a string)");
            return "";
        }
        return s.strip();
    }

    private static String sorted(Set<String> keys) {
        return String.join(", ", keys.stream().sorted().toList());
    }
}

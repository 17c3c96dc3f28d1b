package io.provisioninghub.routes.conformance;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Nested;
import org.junit.platform.commons.annotation.Testable;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks that the tests a registry names exist and that JUnit 5 runs them. A reference is
 * {@code fully.qualified.TestClass#method}; a nested class may be named with {@code $} or {@code .}. The method
 * is looked up in the class, its superclasses and interfaces, then in its {@code @Nested} classes, and must carry
 * an annotation that JUnit marks {@link Testable} ({@code @Test}, {@code @ParameterizedTest},
 * {@code @RepeatedTest}, {@code @TestFactory}, {@code @TestTemplate}). Classes are loaded without being
 * initialised, so naming a test never starts what the test starts.
 */
final class TestReferences {

    private final ClassLoader loader;

    TestReferences(ClassLoader loader) {
        this.loader = loader;
    }

    /** One line per reference that does not name a runnable test, with the entry that names it. */
    List<String> problems(ConformanceRegistry registry) {
        List<String> problems = new ArrayList<>();
        for (ConformanceRegistry.Entry entry : registry.entries()) {
            for (String reference : entry.tests()) {
                check(reference).ifPresent(problem -> problems.add(entry.id() + " names " + reference + ": " + problem));
            }
        }
        return problems;
    }

    /** @return why the reference does not name a test JUnit would run, or empty when it does */
    Optional<String> check(String reference) {
        int hash = reference.indexOf('#');
        if (hash <= 0 || hash == reference.length() - 1 || reference.indexOf('#', hash + 1) >= 0) {
            return Optional.of("not of the form fully.qualified.TestClass#method");
        }
        String className = reference.substring(0, hash);
        String methodName = reference.substring(hash + 1);
        try {
            Optional<Class<?>> found = loadClass(className);
            if (found.isEmpty()) {
                return Optional.of("no class " + className + " on the test class path");
            }
            return checkMethod(found.get(), methodName);
        } catch (LinkageError e) {
            return Optional.of(className + " cannot be loaded: " + e);
        }
    }

    private static Optional<String> checkMethod(Class<?> testClass, String methodName) {
        if (Modifier.isAbstract(testClass.getModifiers()) || testClass.isInterface()) {
            return Optional.of(testClass.getName() + " is abstract: name the concrete class JUnit runs");
        }
        if (AnnotationSupport.isAnnotated(testClass, Disabled.class)) {
            return Optional.of(testClass.getName() + " is @Disabled");
        }
        List<Method> named = methodsNamed(testClass, methodName);
        if (named.isEmpty()) {
            return Optional.of("no method " + methodName + " in " + testClass.getName()
                    + ", its superclasses or its @Nested classes");
        }
        List<Method> tests = named.stream().filter(m -> AnnotationSupport.isAnnotated(m, Testable.class)).toList();
        if (tests.isEmpty()) {
            return Optional.of(methodName + " is not a JUnit 5 test (no @Test, @ParameterizedTest or other testable annotation)");
        }
        List<Method> runnable = tests.stream()
                .filter(m -> !Modifier.isPrivate(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()))
                .toList();
        if (runnable.isEmpty()) {
            return Optional.of(methodName + " is private or static, so JUnit does not run it");
        }
        boolean enabled = runnable.stream().anyMatch(m -> !AnnotationSupport.isAnnotated(m, Disabled.class)
                && !AnnotationSupport.isAnnotated(m.getDeclaringClass(), Disabled.class));
        if (!enabled) {
            return Optional.of(methodName + " is @Disabled");
        }
        return Optional.empty();
    }

    /** Loads {@code a.b.Outer.Inner} as well as {@code a.b.Outer$Inner}, without initialising the class. */
    private Optional<Class<?>> loadClass(String name) {
        String candidate = name;
        while (true) {
            try {
                return Optional.of(Class.forName(candidate, false, loader));
            } catch (ClassNotFoundException e) {
                int dot = candidate.lastIndexOf('.');
                if (dot < 0) {
                    return Optional.empty();
                }
                candidate = candidate.substring(0, dot) + '$' + candidate.substring(dot + 1);
            }
        }
    }

    /** Methods of that name in the class's hierarchy, or else in its {@code @Nested} classes (recursively). */
    private static List<Method> methodsNamed(Class<?> type, String name) {
        List<Method> methods = ReflectionSupport.findMethods(type, m -> m.getName().equals(name),
                HierarchyTraversalMode.TOP_DOWN);
        if (!methods.isEmpty()) {
            return methods;
        }
        List<Method> nested = new ArrayList<>();
        for (Class<?> inner : ReflectionSupport.findNestedClasses(type,
                c -> !Modifier.isStatic(c.getModifiers()) && AnnotationSupport.isAnnotated(c, Nested.class))) {
            nested.addAll(methodsNamed(inner, name));
        }
        return nested;
    }
}

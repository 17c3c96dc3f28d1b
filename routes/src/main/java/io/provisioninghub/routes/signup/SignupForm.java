package io.provisioninghub.routes.signup;

import io.provisioninghub.connectors.billing.Plan;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The sign-up form's fields and their checks (SIGNUP-2), with messages a person understands. The checks match what
 * billing accepts ({@code SubscriptionOrder.Customer}), so a form that passes here is not refused there.
 */
record SignupForm(String plan, String name, String email, boolean consent) {

    static final int MAX_NAME = 100;
    static final int MAX_EMAIL = 254;
    /** A pragmatic address check (something@domain.tld, no spaces): the mailbox itself is billing's business. */
    private static final Pattern EMAIL = Pattern.compile("[^@\\s<>\"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
            + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+");

    static SignupForm of(Map<String, String> values) {
        return new SignupForm(trim(values.get("plan")), trim(values.get("name")), trim(values.get("email")),
                "yes".equals(values.get("consent")));
    }

    /** Field → message for every field that is not right; empty when the form can be submitted. */
    Map<String, String> problems(List<Plan> plans) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (plan.isEmpty()) {
            errors.put("plan", "Please choose a plan.");
        } else if (plans.stream().noneMatch(p -> p.id().equals(plan))) {
            errors.put("plan", "This plan is no longer offered. Please choose one of the plans below.");
        }
        if (name.isEmpty()) {
            errors.put("name", "Please enter your name.");
        } else if (name.length() > MAX_NAME) {
            errors.put("name", "Your name can have at most " + MAX_NAME + " characters.");
        } else if (name.codePoints().anyMatch(Character::isISOControl)) {
            errors.put("name", "Your name contains characters that cannot be used. Please type it again.");
        }
        if (email.isEmpty()) {
            errors.put("email", "Please enter your e-mail address.");
        } else if (email.length() > MAX_EMAIL || !EMAIL.matcher(email).matches()) {
            errors.put("email", "This does not look like an e-mail address. It should look like name@example.com.");
        }
        if (!consent) {
            errors.put("consent", "Please tick the box to agree to the terms before you sign up.");
        }
        return errors;
    }

    private static String trim(String value) {
        return value == null ? "" : value.strip();
    }
}

package io.provisioninghub.routes.signup;

import io.provisioninghub.connectors.billing.Plan;
import org.springframework.web.util.HtmlUtils;

import java.util.List;
import java.util.Map;

/**
 * The sign-up portal's HTML (SIGNUP-2, seed 003's "web portal subscription manager"): plain server-rendered pages with
 * no JavaScript, one column, a viewport meta and large touch targets for a band's small screen. Text blocks and one
 * escaping helper are all it takes; every value from billing or the user goes through {@link #esc}. Element ids and
 * names are stable (a browser test drives them): {@code signup-form}, {@code plan-<id>}, {@code name}, {@code email},
 * {@code consent}, {@code csrf}, {@code submit}, {@code error-<field>}, {@code status}.
 */
final class SignupPages {

    private SignupPages() {
    }

    private static final String HEAD = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>%s</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:0;padding:1rem;max-width:32rem;line-height:1.4}
            h1{font-size:1.4rem}
            fieldset{border:0;padding:0;margin:0 0 1rem}
            .plan{display:block;border:1px solid #999;border-radius:.5rem;padding:.75rem;margin:.5rem 0;min-height:3rem}
            .plan input{width:1.5rem;height:1.5rem;vertical-align:middle}
            label{display:block;margin:.75rem 0 .25rem;font-weight:600}
            input[type=text],input[type=email]{width:100%%;box-sizing:border-box;font-size:1.1rem;padding:.7rem}
            .consent input{width:1.5rem;height:1.5rem;vertical-align:middle}
            button{width:100%%;font-size:1.2rem;padding:1rem;margin-top:1rem;min-height:3rem}
            .error{color:#b00020;font-weight:600;margin:.25rem 0}
            </style>
            </head>
            <body>
            """;
    private static final String TAIL = "</body>\n</html>\n";

    /** The form, with the user's values and a message per field that failed ({@code errors}: field → message). */
    static String form(List<Plan> plans, String csrf, Map<String, String> values, Map<String, String> errors) {
        StringBuilder html = new StringBuilder(String.format(HEAD, "Sign up for your band"));
        html.append("<h1>Sign up for your band</h1>\n");
        if (!errors.isEmpty()) {
            html.append("<p class=\"error\" id=\"error-summary\" role=\"alert\">Please check the fields marked below.</p>\n");
        }
        html.append("<form id=\"signup-form\" method=\"post\" action=\"/signup\">\n");
        html.append("<input type=\"hidden\" id=\"csrf\" name=\"csrf\" value=\"").append(esc(csrf)).append("\">\n");
        html.append("<fieldset><legend><strong>Choose a plan</strong></legend>\n");
        error(html, errors, "plan");
        String chosen = values.getOrDefault("plan", "");
        for (Plan plan : plans) {
            String id = "plan-" + plan.id();
            html.append("<label class=\"plan\" for=\"").append(esc(id)).append("\">")
                    .append("<input type=\"radio\" name=\"plan\" id=\"").append(esc(id)).append("\" value=\"")
                    .append(esc(plan.id())).append("\"").append(plan.id().equals(chosen) ? " checked" : "").append("> ")
                    .append(esc(plan.name()));
            if (plan.price() != null) {
                html.append(" — <span class=\"price\">").append(esc(plan.price().amount().toPlainString())).append(' ')
                        .append(esc(plan.price().currency()));
                if (plan.price().period() != null) {
                    html.append(" per ").append(esc(plan.price().period()));
                }
                html.append("</span>");
            }
            if (!plan.description().isBlank()) {
                html.append("<br><span class=\"description\">").append(esc(plan.description())).append("</span>");
            }
            html.append("<br><span class=\"includes\">Includes: ").append(esc(String.join(", ", plan.services())))
                    .append("</span></label>\n");
        }
        html.append("</fieldset>\n");
        html.append("<label for=\"name\">Your name</label>\n");
        error(html, errors, "name");
        html.append("<input type=\"text\" id=\"name\" name=\"name\" autocomplete=\"name\" maxlength=\"")
                .append(SignupForm.MAX_NAME).append("\" value=\"").append(esc(values.getOrDefault("name", ""))).append("\">\n");
        html.append("<label for=\"email\">Your e-mail address</label>\n");
        error(html, errors, "email");
        html.append("<input type=\"email\" id=\"email\" name=\"email\" autocomplete=\"email\" maxlength=\"")
                .append(SignupForm.MAX_EMAIL).append("\" value=\"").append(esc(values.getOrDefault("email", ""))).append("\">\n");
        error(html, errors, "consent");
        html.append("<p class=\"consent\"><input type=\"checkbox\" id=\"consent\" name=\"consent\" value=\"yes\"")
                .append("yes".equals(values.get("consent")) ? " checked" : "")
                .append("> <label for=\"consent\" style=\"display:inline\">I agree to the terms of the plan and to the ")
                .append("operator keeping my name and e-mail address for billing.</label></p>\n");
        html.append("<button type=\"submit\" id=\"submit\">Sign up</button>\n</form>\n");
        return html.append(TAIL).toString();
    }

    /** Where the device's sign-up stands: being set up, ready, active or failed. */
    static String status(Signups.Signup signup) {
        String title;
        String text;
        switch (signup.state()) {
            case Signups.READY:
                title = "Your band is ready";
                text = "Your subscription is set up. Your band is downloading its settings now.";
                break;
            case Signups.ACTIVE:
                title = "Your band is active";
                text = "Your subscription is active. You can use your band now.";
                break;
            case Signups.RELEASING:
                title = "Your band is being released";
                text = "Your operator is moving this band to another subscription or operator. Please wait a moment.";
                break;
            case Signups.FAILED:
                title = "We could not set up your band";
                text = "Nothing was charged. " + (signup.failureReason() == null ? "" : signup.failureReason() + ". ")
                        + "Please try again later.";
                break;
            default:
                title = "Your band is being set up";
                text = "This takes a few seconds. Your band downloads its settings by itself; you can close this page.";
        }
        StringBuilder html = new StringBuilder(String.format(HEAD, esc(title)));
        html.append("<h1>").append(esc(title)).append("</h1>\n<p id=\"status\" data-state=\"").append(esc(signup.state()))
                .append("\">").append(esc(text)).append("</p>\n");
        if (Signups.FAILED.equals(signup.state())) {
            html.append("<p><a href=\"/signup\" id=\"again\">Start again</a></p>\n");
        }
        return html.append(TAIL).toString();
    }

    /** A page for a person who is not (or no longer) signed in, or whose form expired. */
    static String message(String title, String text) {
        return String.format(HEAD, esc(title)) + "<h1>" + esc(title) + "</h1>\n<p id=\"message\">" + esc(text) + "</p>\n" + TAIL;
    }

    private static void error(StringBuilder html, Map<String, String> errors, String field) {
        String message = errors.get(field);
        if (message != null) {
            html.append("<p class=\"error\" id=\"error-").append(field).append("\">").append(esc(message)).append("</p>\n");
        }
    }

    /** HTML-escapes text for element content and double-quoted attributes. */
    static String esc(String text) {
        return text == null ? "" : HtmlUtils.htmlEscape(text, "UTF-8");
    }
}

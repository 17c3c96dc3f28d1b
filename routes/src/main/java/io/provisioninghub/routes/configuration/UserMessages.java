package io.provisioninghub.routes.configuration;

import org.springframework.context.MessageSource;
import org.springframework.context.NoSuchMessageException;
import org.springframework.context.support.ResourceBundleMessageSource;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Locale;

/**
 * The MSG characteristic's texts (RCC.14 §2.2.3, CFG-6), localised from the client's Accept-Language. Texts live
 * in {@code messages/user-messages_<lang>.properties}; English is the fallback. Operators add a language by
 * adding a file and listing it in {@code hub.messages.languages}.
 */
@Component
class UserMessages {

    private final MessageSource source;
    private final List<Locale> supported;

    UserMessages(@org.springframework.beans.factory.annotation.Value("${hub.messages.languages:en,fr,de}") List<String> languages) {
        ResourceBundleMessageSource messages = new ResourceBundleMessageSource();
        messages.setBasename("messages/user-messages");
        messages.setDefaultEncoding("UTF-8");
        messages.setFallbackToSystemLocale(false);
        this.source = messages;
        this.supported = languages.stream().map(Locale::forLanguageTag).toList();
    }

    /** The best supported locale for an Accept-Language header; English when none fits or the header is malformed. */
    Locale localeFor(String acceptLanguage) {
        if (acceptLanguage == null || acceptLanguage.isBlank() || acceptLanguage.length() > 256) {
            return Locale.ENGLISH;
        }
        try {
            Locale best = Locale.lookup(Locale.LanguageRange.parse(acceptLanguage), supported);
            return best == null ? Locale.ENGLISH : best;
        } catch (IllegalArgumentException malformed) {
            return Locale.ENGLISH;
        }
    }

    /** @return title and message for a situation ("welcome", "barred", ...), or null when none is configured */
    Text text(String situation, Locale locale) {
        try {
            return new Text(source.getMessage(situation + ".title", null, locale),
                    source.getMessage(situation + ".message", null, locale));
        } catch (NoSuchMessageException e) {
            return null;
        }
    }

    /** A user-visible SMS text from the operator's templates ({@code <key>.message}, MessageFormat arguments). */
    String sms(String key, Locale locale, Object... arguments) {
        return source.getMessage(key + ".message", arguments, locale);
    }

    record Text(String title, String message) {
    }
}

package io.provisioninghub.routes.support;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Predicate;

/**
 * The log events of the hub in this JVM while it is open (a list appender on the root logger), and the console line
 * each one becomes with the hub's own console pattern (logging.pattern.console).
 */
public final class LogCapture implements AutoCloseable {

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();

    public LogCapture() {
        events.setContext(root.getLoggerContext());
        events.start();
        root.addAppender(events);
    }

    public List<ILoggingEvent> events(Predicate<ILoggingEvent> match) {
        synchronized (events.list) {
            return events.list.stream().filter(match).toList();
        }
    }

    /** Waits until an event matches, or the time is up (then the list is empty). */
    public List<ILoggingEvent> await(Predicate<ILoggingEvent> match, java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ILoggingEvent> found = events(match);
        while (found.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            found = events(match);
        }
        return found;
    }

    /** The event as the hub's console appender writes it. */
    @SuppressWarnings("unchecked")
    public String consoleLine(ILoggingEvent event) {
        Appender<ILoggingEvent> console = root.getAppender("CONSOLE");
        Encoder<ILoggingEvent> encoder = ((OutputStreamAppender<ILoggingEvent>) console).getEncoder();
        return new String(encoder.encode(event), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        root.detachAppender(events);
        events.stop();
    }
}

package io.provisioninghub.routes.campaign;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import org.springframework.jms.connection.SingleConnectionFactory;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * The campaigns' durable work in Artemis (INT-4): one queue per campaign ({@code hub.campaign.work-queue-prefix} +
 * id), holding persistent messages that each name a chunk of the campaign's device rows by IMSI range
 * (after, through]. The IMSIs themselves stay in the database; a message carries no subscriber data.
 * <p>
 * Plain JMS with transacted sessions on connections of their own (not the application's caching factory, whose
 * cached consumers would keep prefetched work away from the next leader): a chunk is acknowledged in the same
 * JMS transaction that queues what is left of it, so pausing, stopping or losing the leadership mid-chunk never
 * drops work, and a crash before the commit brings the whole chunk back.
 */
@Component
class CampaignWorkQueue {

    static final String CAMPAIGN = "hubCampaign";
    static final String AFTER = "hubAfter";
    static final String THROUGH = "hubThrough";

    private final ConnectionFactory connectionFactory;
    private final String prefix;

    CampaignWorkQueue(ConnectionFactory connectionFactory, CampaignProperties properties) {
        // Spring Boot wraps the broker's factory in a caching one: use the broker's own.
        this.connectionFactory = connectionFactory instanceof SingleConnectionFactory single
                && single.getTargetConnectionFactory() != null ? single.getTargetConnectionFactory() : connectionFactory;
        this.prefix = properties.workQueuePrefix();
    }

    /** A chunk of a campaign's devices: IMSIs in (after, through]; after is "" for the start. */
    record Chunk(long campaignId, String after, String through) {

        static Chunk of(Message message) throws JMSException {
            return new Chunk(message.getLongProperty(CAMPAIGN), message.getStringProperty(AFTER),
                    message.getStringProperty(THROUGH));
        }
    }

    String queueName(long campaignId) {
        return prefix + campaignId;
    }

    /** A connection with one transacted session, for one thread. */
    Channel open(long campaignId) throws JMSException {
        Connection connection = connectionFactory.createConnection();
        try {
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            Queue queue = session.createQueue(queueName(campaignId));
            MessageProducer producer = session.createProducer(queue);
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            connection.start();
            return new Channel(connection, session, queue, producer);
        } catch (JMSException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** Queues the chunks in one JMS transaction. */
    void send(long campaignId, List<Chunk> chunks) throws JMSException {
        try (Channel channel = open(campaignId)) {
            for (Chunk chunk : chunks) {
                channel.send(chunk);
            }
            channel.session().commit();
        }
    }

    record Channel(Connection connection, Session session, Queue queue, MessageProducer producer) implements AutoCloseable {

        /** Sends in the session's transaction (committed by the caller). */
        void send(Chunk chunk) throws JMSException {
            Message message = session.createMessage();
            message.setLongProperty(CAMPAIGN, chunk.campaignId());
            message.setStringProperty(AFTER, chunk.after());
            message.setStringProperty(THROUGH, chunk.through());
            producer.send(message);
        }

        @Override
        public void close() throws JMSException {
            connection.close();
        }
    }
}

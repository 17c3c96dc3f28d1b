package io.provisioninghub.connectors.hlr;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.util.List;

/**
 * {@link HlrSelections} over the HLR's JDBC pool. Each page is one SELECT walking the UNIQUE index on
 * {@code subscriber.imsi} from the last IMSI seen ({@code imsi > ? ORDER BY imsi LIMIT ?}): the cost of a page does
 * not grow with its position, and a selection is read once in total, whatever its size. IMSIs are stored as
 * digit strings of equal length on one network, so their string order is their numeric order.
 */
public class JdbcHlrSelections implements HlrSelections {

    /** Below every digit string: the first page starts here. */
    private static final String START = "";

    private final JdbcTemplate jdbc;

    public JdbcHlrSelections(DataSource hlrDataSource) {
        this.jdbc = new JdbcTemplate(hlrDataSource);
    }

    @Override
    public List<String> page(HlrSelection selection, String after, int limit) {
        String from = after == null ? START : after;
        try {
            if (selection instanceof HlrSelection.ImsiRange range) {
                return jdbc.queryForList("SELECT imsi FROM subscriber WHERE imsi > ? AND imsi >= ? AND imsi <= ? "
                        + "ORDER BY imsi LIMIT ?", String.class, from, range.from(), range.to(), limit);
            }
            if (selection instanceof HlrSelection.Tac tac) {
                // No index on imei: the scan walks the imsi index and filters, page after page, so the whole
                // selection still costs one pass over the table.
                return jdbc.queryForList("SELECT imsi FROM subscriber WHERE imsi > ? AND imei LIKE ? "
                        + "ORDER BY imsi LIMIT ?", String.class, from, tac.tac() + "%", limit);
            }
            if (selection instanceof HlrSelection.CredentialAge age) {
                return jdbc.queryForList("SELECT s.imsi FROM subscriber s JOIN auc_3g a ON a.subscriber_id = s.id "
                                + "WHERE s.imsi > ? AND a.credential_updated_at < now() - make_interval(days => ?) "
                                + "ORDER BY s.imsi LIMIT ?", String.class, from, age.days(), limit);
            }
            throw new IllegalArgumentException("unknown selection " + selection.getClass().getSimpleName());
        } catch (DataAccessException e) {
            // The message of a JDBC exception may quote the statement's values; only the type goes up.
            throw new HlrUnavailableException("HLR selection failed: " + e.getClass().getSimpleName(), e);
        }
    }
}

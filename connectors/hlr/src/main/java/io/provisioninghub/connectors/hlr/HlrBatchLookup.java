package io.provisioninghub.connectors.hlr;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Looks many subscribers up by IMSI in one round trip (INT-1), for bulk work such as the rotation intake, which takes
 * Kafka records 500 at a time: one {@code = ANY(?)} SELECT on {@code hlrDataSource} instead of 500 single lookups.
 * The row shape is that of {@code find-subscriber-by-imsi.sql} (OsmoHLR's {@code subscriber} plus the barring and
 * opt-out sets), read into the same {@link HlrSubscriber} as {@link HlrClient#findByImsi}.
 * <p>
 * Plain JDBC rather than a camel-sql route: the parameter is one SQL array, and the result many rows that are read
 * while the result set is open (the arrays need their connection). Like {@link CamelHlrClient}, no identifier ever
 * reaches an exception message.
 */
public final class HlrBatchLookup {

    /** IMSIs per statement: the parameter is one array, this only bounds the result set held in memory. */
    static final int MAX_PER_STATEMENT = 5_000;

    private static final String SQL = "SELECT s.id, s.imsi, s.msisdn, s.imei, "
            + "ARRAY(SELECT b.service FROM subscriber_barring b WHERE b.subscriber_id = s.id) AS barred_services, "
            + "ARRAY(SELECT o.service FROM subscriber_service_opt_out o WHERE o.subscriber_id = s.id) AS opted_out_services "
            + "FROM subscriber s WHERE s.imsi = ANY(?)";

    private final DataSource hlr;

    public HlrBatchLookup(DataSource hlr) {
        this.hlr = hlr;
    }

    /**
     * @param imsis any number; malformed ones (not 6–15 digits) cannot match and are left out
     * @return the subscribers the HLR knows, by IMSI; an IMSI missing from the map is unknown
     * @throws HlrUnavailableException when the HLR database cannot be reached or answers with an error
     */
    public Map<String, HlrSubscriber> findByImsis(Collection<String> imsis) {
        List<String> wanted = new ArrayList<>(new LinkedHashSet<>(imsis));
        wanted.removeIf(imsi -> !isImsi(imsi));
        Map<String, HlrSubscriber> found = new HashMap<>(wanted.size() * 2);
        if (wanted.isEmpty()) {
            return found;
        }
        try (Connection connection = hlr.getConnection()) {
            for (int from = 0; from < wanted.size(); from += MAX_PER_STATEMENT) {
                List<String> chunk = wanted.subList(from, Math.min(wanted.size(), from + MAX_PER_STATEMENT));
                try (PreparedStatement statement = connection.prepareStatement(SQL)) {
                    statement.setArray(1, connection.createArrayOf("varchar", chunk.toArray()));
                    try (ResultSet rs = statement.executeQuery()) {
                        while (rs.next()) {
                            HlrSubscriber subscriber = read(rs);
                            found.put(subscriber.imsi(), subscriber);
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new HlrUnavailableException("HLR batch lookup by IMSI failed", e);
        } catch (RuntimeException e) {
            throw new HlrUnavailableException("HLR batch lookup by IMSI returned a row of unexpected shape", e);
        }
        return found;
    }

    private static HlrSubscriber read(ResultSet rs) throws SQLException {
        String msisdn = rs.getString("msisdn");
        return new HlrSubscriber(rs.getLong("id"), rs.getString("imsi"), msisdn == null ? null : "+" + msisdn,
                CamelHlrClient.imeiWithCheckDigit(rs.getString("imei")), services(rs.getArray("barred_services")),
                services(rs.getArray("opted_out_services")));
    }

    private static Set<String> services(Array array) throws SQLException {
        if (array == null) {
            return Set.of();
        }
        try {
            Set<String> values = new LinkedHashSet<>();
            for (Object element : (Object[]) array.getArray()) {
                values.add(String.valueOf(element));
            }
            return values;
        } finally {
            array.free();
        }
    }

    private static boolean isImsi(String value) {
        if (value == null || value.length() < 6 || value.length() > 15) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}

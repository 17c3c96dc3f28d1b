package io.provisioninghub.connectors.hlr;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.sql.DefaultRowMapperFactory;
import org.apache.camel.component.sql.SqlEndpoint;
import org.springframework.jdbc.core.ColumnMapRowMapper;
import org.springframework.jdbc.core.RowMapper;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The HLR lookups (INT-1): one route per lookup, each a single parameterised SELECT through camel-sql on
 * {@code hlrDataSource}. The reply body is the subscriber's row as a {@code Map} (column name to value, the
 * two service sets as {@code List<String>}), or {@code null} when the HLR does not know the subscriber.
 */
final class HlrRoutes extends RouteBuilder {

    static final String FIND_BY_IMSI = "direct:hlr-find-by-imsi";
    static final String FIND_BY_MSISDN = "direct:hlr-find-by-msisdn";
    static final String UPDATE_CREDENTIAL = "direct:hlr-update-credential";
    /** Headers of {@link #UPDATE_CREDENTIAL}: the new K and OPc (hex), with {@link #IMSI}. Never logged (noErrorHandler). */
    static final String K = "k";
    static final String OPC = "opc";
    /** Header holding the IMSI (digits) for {@link #FIND_BY_IMSI}: the query's {@code :#imsi}. */
    static final String IMSI = "imsi";
    /** Header holding the MSISDN (digits only, no '+') for {@link #FIND_BY_MSISDN}: the query's {@code :#msisdn}. */
    static final String MSISDN = "msisdn";

    private static final String QUERIES = "classpath:io/provisioninghub/connectors/hlr/";
    // outputType=SelectOne: the lookups hit a UNIQUE column, so at most one row (a Map) or null.
    // parametersCount=1: otherwise camel-sql asks the driver for the statement's parameter metadata on every
    // call, which is an extra round trip to PostgreSQL on the hot path.
    private static final String OPTIONS = "?dataSource=#" + HlrAutoConfiguration.DATA_SOURCE
            + "&outputType=SelectOne&parametersCount=1";

    @Override
    public void configure() {
        // noErrorHandler: a failed lookup goes straight back to CamelHlrClient, which turns it into an
        // HlrUnavailableException. The default error handler would log the exchange, and its headers hold
        // the subscriber's IMSI or MSISDN, which must never reach a log.
        from(FIND_BY_IMSI).routeId("hlr-find-by-imsi")
                .errorHandler(noErrorHandler())
                .to(sql("find-subscriber-by-imsi.sql"));

        from(FIND_BY_MSISDN).routeId("hlr-find-by-msisdn")
                .errorHandler(noErrorHandler())
                .to(sql("find-subscriber-by-msisdn.sql"));

        // The reply's CamelSqlUpdateCount header says whether the IMSI was known (1) or not (0). The statement is its
        // own transaction (auto-commit): K and OPc change together or not at all.
        from(UPDATE_CREDENTIAL).routeId("hlr-update-credential")
                .errorHandler(noErrorHandler())
                .to("sql:" + QUERIES + "update-credential.sql?dataSource=#" + HlrAutoConfiguration.DATA_SOURCE
                        + "&parametersCount=3");
    }

    private SqlEndpoint sql(String queryFile) {
        SqlEndpoint endpoint = endpoint("sql:" + QUERIES + queryFile + OPTIONS, SqlEndpoint.class);
        endpoint.setRowMapperFactory(new SqlArrayRowMapperFactory());
        return endpoint;
    }

    /**
     * Reads SQL arrays while the result set is still open. The default mapper would hand over the driver's
     * {@code java.sql.Array}, which may need its connection after the connection went back to the pool.
     */
    static final class SqlArrayRowMapperFactory extends DefaultRowMapperFactory {
        @Override
        public RowMapper<?> newColumnRowMapper() {
            return new ColumnMapRowMapper() {
                @Override
                protected Object getColumnValue(ResultSet rs, int index) throws SQLException {
                    Object value = super.getColumnValue(rs, index);
                    if (value instanceof Array array) {
                        try {
                            Object[] elements = (Object[]) array.getArray();
                            List<String> values = new ArrayList<>(elements.length);
                            for (Object element : elements) {
                                values.add(String.valueOf(element));
                            }
                            return values;
                        } finally {
                            array.free();
                        }
                    }
                    return value;
                }
            };
        }
    }
}

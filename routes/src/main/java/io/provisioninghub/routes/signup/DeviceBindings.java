package io.provisioninghub.routes.signup;

import io.provisioninghub.connectors.billing.BillingOrders;
import io.provisioninghub.connectors.billing.Plan;
import io.provisioninghub.connectors.hlr.HlrBatchLookup;
import io.provisioninghub.connectors.hlr.HlrSubscriber;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Headless devices and change of owner (SIGNUP-3/4, seed 001; docs/flows/headless.md). The operator binds device
 * identities to subscriptions ahead of time, in bulk; each row gets its own result and a bad row does not sink the
 * others. A binding is a {@code signup} row (origin {@code bulk}) in state {@code bound}: by default nothing is
 * created in the HLR or billing until the device's first access ({@code hub.signup.bulk.provision-at}), which then
 * runs the same saga and profile delivery as a headed sign-up.
 * <p>
 * Idempotent by device: a device has one live binding (V8's unique index), so a re-sent row finds it and answers
 * {@code unchanged}; a row that would bind an already bound device elsewhere is refused ({@code BOUND_ELSEWHERE}):
 * moving a device is an explicit {@link #reassign}.
 */
@Service
public class DeviceBindings {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceBindings.class);
    private static final Pattern IMSI = Pattern.compile("[0-9]{6,15}");
    private static final Pattern LABEL = Pattern.compile("[\\p{L}\\p{N} ._:/#@+-]{1,64}");
    private static final String LIVE = "state NOT IN ('failed', 'releasing', 'released')";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final BindingDevices devices;
    private final HlrBatchLookup hlr;
    private final BillingOrders billing;
    private final SignupProperties properties;
    private final ProducerTemplate producer;

    DeviceBindings(JdbcTemplate jdbc, TransactionTemplate transaction, BindingDevices devices, HlrBatchLookup hlr,
                   BillingOrders billing, SignupProperties properties, ProducerTemplate producer) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.devices = devices;
        this.hlr = hlr;
        this.billing = billing;
        this.properties = properties;
        this.producer = producer;
    }

    /**
     * One row of a bulk request, as the operator sent it (JSON or CSV).
     *
     * @param publicKey a JWK (Map) or a base64 SubjectPublicKeyInfo (String)
     * @param problem   why the row could not even be read (an unknown field, a number where text belongs), or null
     */
    public record Row(String reference, String certificate, String imei, Object publicKey, String imsi, String plan,
                      String customer, String email, String problem) {
        public static Row unreadable(String problem) {
            return new Row(null, null, null, null, null, null, null, null, problem);
        }

        @Override
        public String toString() {
            return "Row[reference=" + reference + "]";
        }
    }

    /** Where a device is bound: an existing subscription (imsi), or a new one (plan, customer, email). */
    public record Target(String imsi, String plan, String customer, String email) {
        public static Target of(Row row) {
            return new Target(row.imsi(), row.plan(), row.customer(), row.email());
        }

        boolean existing() {
            return imsi != null;
        }
    }

    /** A whole request or call the API answers with a 4xx; {@code status} says which. */
    public static final class Refused extends Exception {
        private final int status;
        private final String reason;

        Refused(int status, String reason, String message) {
            super(message, null, false, false);
            this.status = status;
            this.reason = reason;
        }

        public int status() {
            return status;
        }

        public String reason() {
            return reason;
        }
    }

    /** A row's outcome while the request is worked through. */
    private static final class Outcome {
        final int row;
        final String reference;
        String device;
        String result;
        UUID bindingId;
        String state;
        String reason;
        String message;
        BindingDevices.BoundDevice bound;
        Target target;
        String msisdn;

        Outcome(int row, String reference) {
            this.row = row;
            this.reference = reference;
        }

        void refuse(String reason, String message) {
            this.result = "refused";
            this.reason = reason;
            this.message = message;
        }

        boolean open() {
            return result == null;
        }

        Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("row", row);
            if (reference != null) {
                map.put("reference", reference);
            }
            if (device != null) {
                map.put("device", device);
            }
            map.put("result", result);
            if (bindingId != null) {
                map.put("bindingId", bindingId.toString());
                map.put("state", state);
            }
            if (reason != null) {
                map.put("reason", reason);
                map.put("message", message);
            }
            return map;
        }
    }

    /**
     * Binds every acceptable row; the answer has one result per row, in order.
     *
     * @throws Refused 400 for an empty or too large request, 503 when the HLR or billing (needed to check the rows'
     *                 targets) cannot be reached: nothing was bound, the request can be sent again as it is
     */
    public Map<String, Object> bind(List<Row> rows) throws Refused {
        if (rows.isEmpty()) {
            throw new Refused(400, "MALFORMED", "the request has no rows");
        }
        if (rows.size() > properties.bulk().maxRows()) {
            throw new Refused(400, "TOO_MANY_ROWS", "at most " + properties.bulk().maxRows()
                    + " rows per request (hub.signup.bulk.max-rows): split the batch");
        }
        // Certificate validation (PKIX) is the costly part of a row: rows are independent, so use every core.
        List<Outcome> outcomes = IntStream.range(0, rows.size()).parallel()
                .mapToObj(i -> resolve(i + 1, rows.get(i))).collect(Collectors.toList());
        refuseDuplicates(outcomes);
        checkTargets(outcomes);
        matchLiveBindings(outcomes);
        insert(outcomes);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("rows", outcomes.size());
        for (String result : List.of("created", "unchanged", "refused")) {
            summary.put(result, outcomes.stream().filter(o -> result.equals(o.result)).count());
        }
        LOG.info("Bulk binding: {}", summary);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("summary", summary);
        answer.put("results", outcomes.stream().map(Outcome::toMap).collect(Collectors.toList()));
        return answer;
    }

    private Outcome resolve(int number, Row row) {
        Outcome outcome = new Outcome(number, row.reference());
        try {
            if (row.problem() != null) {
                throw new BindingDevices.Refused("MALFORMED", row.problem());
            }
            if (row.reference() != null && !LABEL.matcher(row.reference()).matches()) {
                throw new BindingDevices.Refused("MALFORMED", "reference: at most 64 letters, digits, spaces or ._:/#@+-");
            }
            outcome.bound = devices.resolve(blankToNull(row.certificate()), blankToNull(row.imei()), row.publicKey());
            outcome.device = outcome.bound.label();
            outcome.target = target(Target.of(row));
        } catch (BindingDevices.Refused refused) {
            outcome.refuse(refused.reason(), refused.getMessage());
        } catch (Refused refused) {
            outcome.refuse(refused.reason(), refused.getMessage());
        }
        return outcome;
    }

    /** The target's form (an existing IMSI, or a plan with a customer); existence is checked per batch. */
    private static Target target(Target target) throws Refused {
        String imsi = blankToNull(target.imsi());
        String plan = blankToNull(target.plan());
        if ((imsi == null) == (plan == null)) {
            throw new Refused(400, "MALFORMED", "give either imsi (an existing subscription) or plan (a new one)");
        }
        if (imsi != null) {
            if (!IMSI.matcher(imsi).matches()) {
                throw new Refused(400, "MALFORMED", "imsi must be 6 to 15 digits");
            }
            return new Target(imsi, null, null, null);
        }
        String customer = blankToNull(target.customer());
        if (customer == null || customer.length() > 200) {
            throw new Refused(400, "MALFORMED", "customer (1 to 200 characters) is required with plan");
        }
        String email = blankToNull(target.email());
        if (email != null && (email.length() > 254 || !email.matches("[^@\\s]+@[^@\\s]+"))) {
            throw new Refused(400, "MALFORMED", "email is not an e-mail address");
        }
        return new Target(null, plan, customer, email);
    }

    private static void refuseDuplicates(List<Outcome> outcomes) {
        Set<String> seen = new HashSet<>();
        Set<String> subscriptions = new HashSet<>();
        for (Outcome outcome : outcomes) {
            if (!outcome.open()) {
                continue;
            }
            if (!seen.add(outcome.device)) {
                outcome.refuse("DUPLICATE_IN_REQUEST", "this device is in the request more than once: the first row counts");
            } else if (outcome.target.existing() && !subscriptions.add(outcome.target.imsi())) {
                outcome.refuse("DUPLICATE_IN_REQUEST", "this subscription is in the request more than once: the first row counts");
            }
        }
    }

    /** Plans against billing's catalogue, IMSIs against the HLR: one call each per request. */
    private void checkTargets(List<Outcome> outcomes) throws Refused {
        List<Outcome> open = outcomes.stream().filter(Outcome::open).collect(Collectors.toList());
        if (open.stream().anyMatch(o -> !o.target.existing())) {
            Set<String> plans;
            try {
                plans = billing.plans().stream().map(Plan::id).collect(Collectors.toSet());
            } catch (RuntimeException e) {
                throw new Refused(503, "BILLING_UNAVAILABLE", "billing's catalogue cannot be read now: send the request again later");
            }
            open.stream().filter(o -> !o.target.existing() && !plans.contains(o.target.plan()))
                    .forEach(o -> o.refuse("UNKNOWN_PLAN", "billing has no plan with this id"));
        }
        Set<String> imsis = open.stream().filter(o -> o.open() && o.target.existing()).map(o -> o.target.imsi())
                .collect(Collectors.toSet());
        if (!imsis.isEmpty()) {
            Map<String, HlrSubscriber> known;
            try {
                known = hlr.findByImsis(imsis);
            } catch (RuntimeException e) {
                throw new Refused(503, "HLR_UNAVAILABLE", "the HLR cannot be reached now: send the request again later");
            }
            for (Outcome o : open) {
                if (o.open() && o.target.existing()) {
                    HlrSubscriber subscriber = known.get(o.target.imsi());
                    if (subscriber == null) {
                        o.refuse("UNKNOWN_SUBSCRIPTION", "the HLR has no subscriber with this IMSI");
                    } else {
                        o.msisdn = subscriber.msisdn();
                    }
                }
            }
        }
    }

    /** Live binding as the matching needs it. */
    private record Live(UUID id, String kind, String value, String state, String imsi, boolean existing, String plan,
                        String thumbprint) {
    }

    /** Rows whose device or subscription already has a live binding: unchanged (same binding) or refused. */
    private void matchLiveBindings(List<Outcome> outcomes) {
        List<Outcome> open = outcomes.stream().filter(Outcome::open).collect(Collectors.toList());
        if (open.isEmpty()) {
            return;
        }
        String[] values = open.stream().map(o -> o.bound.value()).distinct().toArray(String[]::new);
        String[] imsis = open.stream().filter(o -> o.target.existing()).map(o -> o.target.imsi()).toArray(String[]::new);
        List<Live> live = jdbc.execute((ConnectionCallback<List<Live>>) connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT id, device_kind, device_value, state, "
                    + "imsi, existing_subscription, plan_id, key_thumbprint FROM signup WHERE (device_value = ANY(?) "
                    + "OR imsi = ANY(?)) AND " + LIVE)) {
                statement.setArray(1, connection.createArrayOf("varchar", values));
                statement.setArray(2, connection.createArrayOf("varchar", imsis));
                List<Live> found = new ArrayList<>();
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        found.add(new Live(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getBoolean(6), rs.getString(7), rs.getString(8)));
                    }
                }
                return found;
            }
        });
        Map<String, Live> byDevice = new HashMap<>();
        Map<String, Live> byImsi = new HashMap<>();
        for (Live l : live) {
            byDevice.put(BindingDevices.BoundDevice.label(l.kind(), l.value()), l);
            if (l.imsi() != null) {
                byImsi.put(l.imsi(), l);
            }
        }
        for (Outcome o : open) {
            Live mine = byDevice.get(o.device);
            if (mine != null) {
                if (sameTarget(mine, o.target) && Objects.equals(mine.thumbprint(), o.bound.thumbprint())) {
                    o.result = "unchanged";
                    o.bindingId = mine.id();
                    o.state = mine.state();
                } else if (sameTarget(mine, o.target)) {
                    o.refuse("BOUND_ELSEWHERE", "this device is already bound to this target with another key (binding "
                            + mine.id() + "): release it first if the device's key really changed");
                } else {
                    o.refuse("BOUND_ELSEWHERE", "this device is already bound to another target (binding " + mine.id()
                            + "): move it with POST /operator/v1/devices/{device}/reassign");
                }
                continue;
            }
            Live holder = o.target.existing() ? byImsi.get(o.target.imsi()) : null;
            if (holder != null) {
                o.refuse("SUBSCRIPTION_TAKEN", "this subscription is bound to another device (binding " + holder.id() + ")");
            }
        }
    }

    private static boolean sameTarget(Live live, Target target) {
        return target.existing()
                ? live.existing() && target.imsi().equals(live.imsi())
                : !live.existing() && target.plan().equals(live.plan());
    }

    /** One multi-row INSERT (unnest of arrays) for the new bindings, in one transaction; then the saga, if asked. */
    private void insert(List<Outcome> outcomes) {
        List<Outcome> fresh = outcomes.stream().filter(Outcome::open).collect(Collectors.toList());
        if (fresh.isEmpty()) {
            return;
        }
        boolean now = properties.bulk().provisionAt() == SignupProperties.ProvisionAt.BINDING;
        String state = now ? Signups.REQUESTED : Signups.BOUND;
        fresh.forEach(o -> o.bindingId = UUID.randomUUID());
        Set<UUID> inserted = transaction.execute(status -> jdbc.execute((ConnectionCallback<Set<UUID>>) connection -> {
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO signup (id, origin, device_kind, "
                    + "device_value, device_fingerprint, key_thumbprint, public_jwk, existing_subscription, imsi, msisdn, "
                    + "plan_id, customer_name, customer_email, reference, state) "
                    + "SELECT u.id, 'bulk', u.kind, u.value, u.fingerprint, u.thumbprint, u.jwk, u.existing, u.imsi, "
                    + "u.msisdn, u.plan, u.customer, u.email, u.reference, ? FROM unnest(?::uuid[], ?::varchar[], "
                    + "?::varchar[], ?::varchar[], ?::varchar[], ?::text[], ?::boolean[], ?::varchar[], ?::varchar[], "
                    + "?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[]) AS u(id, kind, value, fingerprint, "
                    + "thumbprint, jwk, existing, imsi, msisdn, plan, customer, email, reference) "
                    + "ON CONFLICT DO NOTHING RETURNING id")) {
                statement.setString(1, state);
                statement.setArray(2, array(connection, "uuid", fresh, o -> o.bindingId));
                statement.setArray(3, array(connection, "varchar", fresh, o -> o.bound.kind()));
                statement.setArray(4, array(connection, "varchar", fresh, o -> o.bound.value()));
                statement.setArray(5, array(connection, "varchar", fresh, o -> o.bound.fingerprint()));
                statement.setArray(6, array(connection, "varchar", fresh, o -> o.bound.thumbprint()));
                statement.setArray(7, array(connection, "text", fresh, o -> o.bound.publicJwk()));
                statement.setArray(8, array(connection, "boolean", fresh, o -> o.target.existing()));
                statement.setArray(9, array(connection, "varchar", fresh, o -> o.target.imsi()));
                statement.setArray(10, array(connection, "varchar", fresh, o -> o.msisdn));
                statement.setArray(11, array(connection, "varchar", fresh, o -> o.target.plan()));
                statement.setArray(12, array(connection, "varchar", fresh, o -> o.target.customer()));
                statement.setArray(13, array(connection, "varchar", fresh, o -> o.target.email()));
                statement.setArray(14, array(connection, "varchar", fresh, o -> o.reference));
                Set<UUID> ids = new HashSet<>();
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getObject(1, UUID.class));
                    }
                }
                return ids;
            }
        }));
        for (Outcome o : fresh) {
            if (inserted.contains(o.bindingId)) {
                o.result = "created";
                o.state = state;
            } else {
                // Another request bound the device or the subscription between the check and the insert.
                o.bindingId = null;
                o.refuse("CONFLICT", "the device or subscription was bound by a concurrent request: send the row again");
            }
        }
        if (now) {
            // The rows are the saga's durable state: a lost hand-over is picked up by the saga's recovery.
            fresh.stream().filter(o -> "created".equals(o.result))
                    .forEach(o -> producer.asyncSendBody(SignupSaga.ENDPOINT, o.bindingId.toString()));
        }
    }

    private static Array array(java.sql.Connection connection, String type, List<Outcome> rows,
                               java.util.function.Function<Outcome, Object> column) throws java.sql.SQLException {
        return connection.createArrayOf(type, rows.stream().map(column).toArray());
    }

    // ---- lookups -------------------------------------------------------------------------------------------------

    private static final String VIEW = "SELECT id, origin, device_kind, device_value, state, imsi, msisdn, "
            + "existing_subscription, plan_id, reference, failure_reason, released_to, created_at, released_at FROM signup ";

    /** A binding (or headed sign-up) by id, as the operator API shows it. */
    public Optional<Map<String, Object>> view(UUID id) {
        return jdbc.query(VIEW + "WHERE id = ?", (rs, i) -> toView(rs), id).stream().findFirst();
    }

    /** The device's live binding, else its latest one. */
    public Optional<Map<String, Object>> viewOfDevice(String device) throws Refused {
        String[] kv = device(device);
        return jdbc.query(VIEW + "WHERE device_kind = ? AND device_value = ? ORDER BY (" + LIVE + ") DESC, "
                + "created_at DESC LIMIT 1", (rs, i) -> toView(rs), kv[0], kv[1]).stream().findFirst();
    }

    private static Map<String, Object> toView(ResultSet rs) throws java.sql.SQLException {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("bindingId", rs.getObject("id", UUID.class).toString());
        view.put("device", BindingDevices.BoundDevice.label(rs.getString("device_kind"), rs.getString("device_value")));
        view.put("origin", rs.getString("origin"));
        view.put("state", rs.getString("state"));
        view.put("existingSubscription", rs.getBoolean("existing_subscription"));
        if (rs.getString("imsi") != null) {
            Map<String, Object> subscription = new LinkedHashMap<>();
            subscription.put("imsi", rs.getString("imsi"));
            subscription.put("msisdn", rs.getString("msisdn"));
            view.put("subscription", subscription);
        }
        putIfSet(view, "plan", rs.getString("plan_id"));
        putIfSet(view, "reference", rs.getString("reference"));
        putIfSet(view, "failureReason", rs.getString("failure_reason"));
        putIfSet(view, "releasedTo", rs.getString("released_to"));
        view.put("createdAt", rs.getTimestamp("created_at").toInstant().toString());
        if (rs.getTimestamp("released_at") != null) {
            view.put("releasedAt", rs.getTimestamp("released_at").toInstant().toString());
        }
        return view;
    }

    private static void putIfSet(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    // ---- change of owner or operator (SIGNUP-4) --------------------------------------------------------------------

    /**
     * Moves a device to another subscription: its live binding goes {@code releasing} (the saga revokes its old
     * credentials in the background) and a new binding to the target is made in the same transaction, which the device
     * picks up at its next profile fetch, through the same flow as a first access.
     *
     * @return {"previous": {bindingId, state}, "binding": {bindingId, state}}
     * @throws Refused 404 no live binding; 409 the same target, or the subscription is bound to another device;
     *                 400 a malformed target, an unknown plan or subscription; 503 HLR or billing unreachable
     */
    public Map<String, Object> reassign(String device, Target requested) throws Refused {
        String[] kv = device(device);
        Target target = target(requested);
        List<Outcome> check = List.of(new Outcome(1, null));
        check.get(0).target = target;
        checkTargets(check);
        Outcome checked = check.get(0);
        if (!checked.open()) {
            throw new Refused(400, checked.reason, checked.message);
        }
        Map<String, Object> answer = transaction.execute(status -> {
            Map<String, Object> old = lockLiveBinding(kv);
            if (old == null) {
                return null;
            }
            Live live = new Live((UUID) old.get("id"), kv[0], kv[1], (String) old.get("state"), (String) old.get("imsi"),
                    Boolean.TRUE.equals(old.get("existing_subscription")), (String) old.get("plan_id"), null);
            if (target.existing() && sameTarget(live, target)) {
                return Map.<String, Object>of("conflict", "the device is bound to this subscription already");
            }
            String oldState = retire(live.id(), live.state(), null);
            UUID id = UUID.randomUUID();
            boolean now = properties.bulk().provisionAt() == SignupProperties.ProvisionAt.BINDING;
            int inserted = jdbc.update("INSERT INTO signup (id, origin, device_kind, device_value, device_fingerprint, "
                            + "key_thumbprint, public_jwk, existing_subscription, imsi, msisdn, plan_id, customer_name, "
                            + "customer_email, reference, state) VALUES (?, 'reassign', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                            + "ON CONFLICT DO NOTHING", id, kv[0], kv[1], old.get("device_fingerprint"),
                    old.get("key_thumbprint") != null ? old.get("key_thumbprint") : Signups.thumbprint((String) old.get("public_jwk")),
                    old.get("public_jwk"), target.existing(), target.imsi(), checked.msisdn, target.plan(), target.customer(),
                    target.email(), old.get("reference"), now ? Signups.REQUESTED : Signups.BOUND);
            if (inserted != 1) {
                status.setRollbackOnly();
                return Map.<String, Object>of("conflict", "the subscription is bound to another device");
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("previous", stateOf(live.id(), oldState));
            result.put("binding", stateOf(id, now ? Signups.REQUESTED : Signups.BOUND));
            return result;
        });
        return finish(answer);
    }

    /**
     * Releases a device to another operator (or out of service): its live binding goes {@code releasing}, the saga
     * revokes its credentials, and the device's next profile fetch answers 410. It can be bound again later.
     *
     * @throws Refused 404 no live binding; 400 a malformed operator name
     */
    public Map<String, Object> release(String device, String toOperator) throws Refused {
        String[] kv = device(device);
        String operator = blankToNull(toOperator);
        if (operator == null || !LABEL.matcher(operator).matches()) {
            throw new Refused(400, "MALFORMED", "operator: the receiving operator's name, 1 to 64 letters, digits, spaces or ._:/#@+-");
        }
        Map<String, Object> answer = transaction.execute(status -> {
            Map<String, Object> live = lockLiveBinding(kv);
            if (live == null) {
                return null;
            }
            UUID id = (UUID) live.get("id");
            String state = retire(id, (String) live.get("state"), operator);
            return Map.<String, Object>of("binding", stateOf(id, state));
        });
        return finish(answer);
    }

    /** The device's live binding, locked for the rest of the transaction; null when it has none. */
    private Map<String, Object> lockLiveBinding(String[] kindAndValue) {
        List<Map<String, Object>> live = jdbc.queryForList("SELECT * FROM signup WHERE device_kind = ? AND device_value = ? "
                + "AND " + LIVE + " FOR UPDATE", kindAndValue[0], kindAndValue[1]);
        return live.isEmpty() ? null : live.get(0);
    }

    /**
     * Ends a live binding. One still waiting for its device ({@code bound}) has nothing to undo: released at once.
     * Otherwise releasing, and the saga undoes it as soon as no step holds its lease.
     */
    private String retire(UUID id, String state, String toOperator) {
        boolean untouched = Signups.BOUND.equals(state);
        String next = untouched ? Signups.RELEASED : Signups.RELEASING;
        jdbc.update("UPDATE signup SET state = ?, released_to = ?, released_at = CASE WHEN ? THEN now() END, "
                + "next_attempt_at = now(), attempts = 0, customer_name = CASE WHEN ? THEN NULL ELSE customer_name END, "
                + "customer_email = CASE WHEN ? THEN NULL ELSE customer_email END, updated_at = now() WHERE id = ?",
                next, toOperator, untouched, untouched, untouched, id);
        if (!untouched) {
            producer.asyncSendBody(SignupSaga.ENDPOINT, id.toString());
        }
        LOG.info("Binding {} {} ({})", id, next, toOperator == null ? "moved to another subscription" : "released");
        return next;
    }

    private static Map<String, Object> stateOf(UUID id, String state) {
        Map<String, Object> binding = new LinkedHashMap<>();
        binding.put("bindingId", id.toString());
        binding.put("state", state);
        return binding;
    }

    private Map<String, Object> finish(Map<String, Object> answer) throws Refused {
        if (answer == null) {
            throw new Refused(404, "NOT_BOUND", "the device has no live binding");
        }
        if (answer.containsKey("conflict")) {
            throw new Refused(409, "CONFLICT", (String) answer.get("conflict"));
        }
        Object next = answer.get("binding");
        if (next instanceof Map<?, ?> binding && Signups.REQUESTED.equals(binding.get("state"))) {
            producer.asyncSendBody(SignupSaga.ENDPOINT, binding.get("bindingId").toString());
        }
        return answer;
    }

    /** "IMEI:<15 digits>" or "SN:<serial>" → {device_kind, device_value}. */
    private static String[] device(String device) throws Refused {
        if (device != null) {
            if (device.startsWith("IMEI:") && device.length() == 20) {
                return new String[] {"IMEI", device.substring(5)};
            }
            if (device.startsWith("SN:") && device.length() > 3 && device.length() <= 67) {
                return new String[] {"SERIAL", device.substring(3)};
            }
        }
        throw new Refused(400, "MALFORMED", "device: IMEI:<15 digits> or SN:<serial number>");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}

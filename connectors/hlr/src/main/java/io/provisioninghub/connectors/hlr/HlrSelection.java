package io.provisioninghub.connectors.hlr;

/**
 * A set of HLR subscribers chosen by a property of their HLR record (ROT-3 campaign selections). Read page by page
 * with {@link HlrSelections#page}.
 */
public sealed interface HlrSelection {

    /** Every subscriber whose IMSI lies in [{@code from}, {@code to}], both 15 digits (compared as strings). */
    record ImsiRange(String from, String to) implements HlrSelection {
    }

    /** A device model: the first 8 digits of the subscriber's current IMEI (the Type Allocation Code). */
    record Tac(String tac) implements HlrSelection {
    }

    /** Subscribers whose K/OPc were last set more than {@code days} days ago ({@code auc_3g.credential_updated_at}). */
    record CredentialAge(int days) implements HlrSelection {
    }
}

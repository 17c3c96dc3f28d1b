package io.provisioninghub.connectors.smsc;

import java.util.Map;

/** Names of the SMPP 3.4 command_status values (§5.1.3) a submit or bind is likely to meet, for messages. */
public final class SmppStatus {

    public static final int ESME_ROK = 0x00;
    public static final int ESME_RINVMSGLEN = 0x01;
    public static final int ESME_RSYSERR = 0x08;
    public static final int ESME_RINVSRCADR = 0x0A;
    public static final int ESME_RINVDSTADR = 0x0B;
    public static final int ESME_RBINDFAIL = 0x0D;
    public static final int ESME_RINVPASWD = 0x0E;
    public static final int ESME_RINVSYSID = 0x0F;
    public static final int ESME_RMSGQFUL = 0x14;
    public static final int ESME_RSUBMITFAIL = 0x45;
    public static final int ESME_RTHROTTLED = 0x58;
    public static final int ESME_RX_T_APPN = 0x64;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(ESME_ROK, "ESME_ROK"),
            Map.entry(ESME_RINVMSGLEN, "ESME_RINVMSGLEN"),
            Map.entry(0x02, "ESME_RINVCMDLEN"),
            Map.entry(0x03, "ESME_RINVCMDID"),
            Map.entry(0x04, "ESME_RINVBNDSTS"),
            Map.entry(0x05, "ESME_RALYBND"),
            Map.entry(ESME_RSYSERR, "ESME_RSYSERR"),
            Map.entry(ESME_RINVSRCADR, "ESME_RINVSRCADR"),
            Map.entry(ESME_RINVDSTADR, "ESME_RINVDSTADR"),
            Map.entry(0x0C, "ESME_RINVMSGID"),
            Map.entry(ESME_RBINDFAIL, "ESME_RBINDFAIL"),
            Map.entry(ESME_RINVPASWD, "ESME_RINVPASWD"),
            Map.entry(ESME_RINVSYSID, "ESME_RINVSYSID"),
            Map.entry(ESME_RMSGQFUL, "ESME_RMSGQFUL"),
            Map.entry(0x15, "ESME_RINVSERTYP"),
            Map.entry(0x33, "ESME_RINVNUMDESTS"),
            Map.entry(0x40, "ESME_RINVDESTFLAG"),
            Map.entry(0x42, "ESME_RINVSUBREP"),
            Map.entry(0x43, "ESME_RINVESMCLASS"),
            Map.entry(ESME_RSUBMITFAIL, "ESME_RSUBMITFAIL"),
            Map.entry(0x48, "ESME_RINVSRCTON"),
            Map.entry(0x49, "ESME_RINVSRCNPI"),
            Map.entry(0x50, "ESME_RINVDSTTON"),
            Map.entry(0x51, "ESME_RINVDSTNPI"),
            Map.entry(0x53, "ESME_RINVSYSTYP"),
            Map.entry(ESME_RTHROTTLED, "ESME_RTHROTTLED"),
            Map.entry(0x61, "ESME_RINVSCHED"),
            Map.entry(0x62, "ESME_RINVEXPIRY"),
            Map.entry(ESME_RX_T_APPN, "ESME_RX_T_APPN"),
            Map.entry(0x65, "ESME_RX_P_APPN"),
            Map.entry(0x66, "ESME_RX_R_APPN"),
            Map.entry(0xFF, "ESME_RUNKNOWNERR"));

    private SmppStatus() {
    }

    /** {@code ESME_RTHROTTLED (0x00000058)}, or just the hex value for a status without a name here. */
    public static String describe(int status) {
        String name = NAMES.get(status);
        String hex = String.format("0x%08X", status);
        return name == null ? hex : name + " (" + hex + ")";
    }
}

package io.provisioninghub.connectors.hlr;

import java.util.List;

/**
 * Streams the IMSIs of an {@link HlrSelection} in keyset pages (ascending IMSI, "after the last one seen"), so a
 * selection of millions is read in constant memory, and a reader that stopped can resume from the last IMSI it
 * recorded instead of from the start. Thread-safe.
 */
public interface HlrSelections {

    /**
     * @param after the last IMSI of the previous page, exclusive; null for the first page
     * @param limit page size
     * @return at most {@code limit} IMSIs, ascending; empty when the selection is exhausted
     * @throws HlrUnavailableException when the HLR cannot be reached or answers with an error
     */
    List<String> page(HlrSelection selection, String after, int limit);
}

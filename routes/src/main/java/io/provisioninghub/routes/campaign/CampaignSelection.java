package io.provisioninghub.routes.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.connectors.hlr.HlrSelection;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Which devices a campaign covers (ROT-3): an explicit IMSI list, an IMSI range, a device model (TAC), a credential
 * age, or (RECONF-2, internal) every subscriber that was served a configuration. Kept as JSON in the campaign row.
 */
sealed interface CampaignSelection {

    Pattern IMSI = Pattern.compile("[0-9]{15}");
    Pattern TAC = Pattern.compile("[0-9]{8}");
    int MAX_AGE_DAYS = 36_500;

    /** The listed IMSIs, sorted and without duplicates (the fan-out pages through them like through the HLR). */
    record Listed(List<String> imsis) implements CampaignSelection {
    }

    record ImsiRange(String from, String to) implements CampaignSelection {
    }

    record Tac(String tac) implements CampaignSelection {
    }

    record CredentialAge(int days) implements CampaignSelection {
    }

    /** RECONF-2: subscribers with a served configuration, read from the hub's own database; {@code services} changed. */
    record Served(List<String> services) implements CampaignSelection {
    }

    /** A selection refused, with a message for the operator. */
    final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** The HLR query for the HLR-backed kinds; null for the others. */
    default HlrSelection hlrSelection() {
        if (this instanceof ImsiRange range) {
            return new HlrSelection.ImsiRange(range.from(), range.to());
        }
        if (this instanceof Tac tac) {
            return new HlrSelection.Tac(tac.tac());
        }
        if (this instanceof CredentialAge age) {
            return new HlrSelection.CredentialAge(age.days());
        }
        return null;
    }

    /**
     * Reads the operator's selection: exactly one of {@code imsis}, {@code imsiRange}, {@code tac},
     * {@code credentialAgeDays}.
     *
     * @throws Refused with what is wrong
     */
    static CampaignSelection fromRequest(JsonNode node, int maxListed) {
        if (node == null || !node.isObject()) {
            throw new Refused("selection (an object) is required: one of imsis, imsiRange, tac, credentialAgeDays");
        }
        List<String> given = new ArrayList<>();
        node.fieldNames().forEachRemaining(given::add);
        if (given.size() != 1) {
            throw new Refused("selection must have exactly one of imsis, imsiRange, tac, credentialAgeDays");
        }
        String kind = given.get(0);
        JsonNode value = node.get(kind);
        switch (kind) {
            case "imsis": {
                if (!value.isArray() || value.isEmpty()) {
                    throw new Refused("selection.imsis must be a non-empty array of 15-digit IMSIs");
                }
                if (value.size() > maxListed) {
                    throw new Refused("selection.imsis lists more than " + maxListed
                            + " IMSIs; select larger sets by imsiRange, tac or credentialAgeDays");
                }
                TreeSet<String> imsis = new TreeSet<>();
                for (Iterator<JsonNode> it = value.elements(); it.hasNext(); ) {
                    JsonNode imsi = it.next();
                    if (!imsi.isTextual() || !IMSI.matcher(imsi.asText()).matches()) {
                        throw new Refused("selection.imsis must hold 15-digit IMSIs as strings");
                    }
                    imsis.add(imsi.asText());
                }
                return new Listed(List.copyOf(imsis));
            }
            case "imsiRange": {
                String from = value.path("from").isTextual() ? value.path("from").asText() : "";
                String to = value.path("to").isTextual() ? value.path("to").asText() : "";
                if (!IMSI.matcher(from).matches() || !IMSI.matcher(to).matches()) {
                    throw new Refused("selection.imsiRange needs from and to, each a 15-digit IMSI as a string");
                }
                if (from.compareTo(to) > 0) {
                    throw new Refused("selection.imsiRange.from must not be above selection.imsiRange.to");
                }
                return new ImsiRange(from, to);
            }
            case "tac": {
                if (!value.isTextual() || !TAC.matcher(value.asText()).matches()) {
                    throw new Refused("selection.tac must be the 8-digit Type Allocation Code as a string");
                }
                return new Tac(value.asText());
            }
            case "credentialAgeDays": {
                if (!value.isIntegralNumber() || value.asLong() < 1 || value.asLong() > MAX_AGE_DAYS) {
                    throw new Refused("selection.credentialAgeDays must be a whole number of days, 1.." + MAX_AGE_DAYS);
                }
                return new CredentialAge(value.asInt());
            }
            default:
                throw new Refused("unknown selection '" + kind.replaceAll("[^A-Za-z0-9]", "")
                        + "': use one of imsis, imsiRange, tac, credentialAgeDays");
        }
    }

    /** The stored form (the same shape as the request, plus the internal kind). */
    default String toJson(ObjectMapper json) {
        ObjectNode node = json.createObjectNode();
        if (this instanceof Listed listed) {
            ArrayNode imsis = node.putArray("imsis");
            listed.imsis().forEach(imsis::add);
        } else if (this instanceof ImsiRange range) {
            node.putObject("imsiRange").put("from", range.from()).put("to", range.to());
        } else if (this instanceof Tac tac) {
            node.put("tac", tac.tac());
        } else if (this instanceof CredentialAge age) {
            node.put("credentialAgeDays", age.days());
        } else if (this instanceof Served served) {
            ArrayNode services = node.putObject("servedSubscribers").putArray("changedServices");
            served.services().forEach(services::add);
        }
        return node.toString();
    }

    static CampaignSelection fromStored(String stored, ObjectMapper json) {
        try {
            JsonNode node = json.readTree(stored);
            if (node.has("servedSubscribers")) {
                List<String> services = new ArrayList<>();
                node.get("servedSubscribers").path("changedServices").forEach(s -> services.add(s.asText()));
                return new Served(List.copyOf(services));
            }
            return fromRequest(node, Integer.MAX_VALUE);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored campaign selection is not JSON", e);
        }
    }

    /** What the API shows: the selection, with an explicit list given as its size only. */
    default Map<String, Object> summary() {
        Map<String, Object> out = new LinkedHashMap<>();
        if (this instanceof Listed listed) {
            out.put("imsiCount", listed.imsis().size());
        } else if (this instanceof ImsiRange range) {
            out.put("imsiRange", Map.of("from", range.from(), "to", range.to()));
        } else if (this instanceof Tac tac) {
            out.put("tac", tac.tac());
        } else if (this instanceof CredentialAge age) {
            out.put("credentialAgeDays", age.days());
        } else if (this instanceof Served served) {
            out.put("servedSubscribers", Map.of("changedServices", served.services()));
        }
        return out;
    }
}

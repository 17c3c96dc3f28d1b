package io.provisioninghub.routes.configuration;

import io.provisioninghub.schemas.provisioningdoc.Characteristic;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-service templates (INT-5), loaded and bound to each home network at start-up. The static part of a
 * configuration — the templates of the enabled services with their network values — is what the VERS version
 * identifies (RCC.14 §2.2.1: "the version of the static parameters (those which are not user dependent)"),
 * so its SHA-256 is the fingerprint from which {@link ConfigurationVersions} derives the version.
 */
@Component
class ConfigurationTemplates {

    private final List<String> serviceNames;
    /** network id → service name → bound template (document order kept). */
    private final Map<String, Map<String, ServiceTemplate>> bound = new HashMap<>();
    /** network id → service name → canonical text of the bound template, hashed into fingerprints. */
    private final Map<String, Map<String, byte[]>> canonical = new HashMap<>();
    /** Fingerprints of the service sets seen so far: few distinct sets exist, and they never change at run time. */
    private final Map<String, byte[]> fingerprints = new java.util.concurrent.ConcurrentHashMap<>();

    ConfigurationTemplates(ServiceTemplatesProperties properties, HomeNetworks networks, ResourceLoader resources)
            throws IOException {
        Map<String, ServiceTemplate> parsed = new LinkedHashMap<>();
        for (ServiceTemplatesProperties.Service service : properties.services()) {
            Resource resource = resources.getResource(service.template());
            try (InputStream in = resource.getInputStream()) {
                parsed.put(service.name(), ServiceTemplate.parse(in));
            } catch (IOException e) {
                throw new IOException("service template of '" + service.name() + "' (" + service.template() + "): "
                        + e.getMessage(), e);
            }
        }
        if (parsed.isEmpty()) {
            throw new IllegalStateException("hub.services must list at least one service");
        }
        this.serviceNames = List.copyOf(parsed.keySet());
        for (HomeNetwork network : networks.all()) {
            Map<String, ServiceTemplate> forNetwork = new LinkedHashMap<>();
            parsed.forEach((name, template) -> forNetwork.put(name, template.bind(key -> staticValue(network, key))));
            bound.put(network.id(), forNetwork);
            Map<String, byte[]> texts = new HashMap<>();
            forNetwork.forEach((name, template) -> texts.put(name, template.canonical().getBytes(StandardCharsets.UTF_8)));
            canonical.put(network.id(), texts);
        }
    }

    private static String staticValue(HomeNetwork network, String key) {
        return switch (key) {
            case "mcc" -> network.mcc();
            case "mnc" -> network.mnc();
            case "mnc3" -> network.mnc3();
            case "home-domain" -> network.imsDomain();
            default -> key.startsWith("network.") ? network.parameters().get(key.substring("network.".length())) : null;
        };
    }

    /** All configured services, in document order. */
    List<String> serviceNames() {
        return serviceNames;
    }

    /** SHA-256 over the network and the bound templates of the enabled services, in document order. */
    byte[] fingerprint(HomeNetwork network, List<String> enabledServices) {
        return fingerprints.computeIfAbsent(network.id() + "|" + String.join(",", enabledServices),
                key -> computeFingerprint(network, enabledServices));
    }

    private byte[] computeFingerprint(HomeNetwork network, List<String> enabledServices) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(("network:" + network.id() + "\n").getBytes(StandardCharsets.UTF_8));
            Map<String, byte[]> texts = canonical.get(network.id());
            for (String service : enabledServices) {
                digest.update(("service:" + service + "\n").getBytes(StandardCharsets.UTF_8));
                digest.update(texts.get(service));
                digest.update((byte) '\n');
            }
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JRE", e);
        }
    }

    /**
     * RECONF-2: SHA-256 (hex) of each service's template as bound to every home network, so it changes when the
     * template or a network value in it changes, and equal configuration gives an equal value on every replica.
     */
    Map<String, String> serviceFingerprints() {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> networkIds = canonical.keySet().stream().sorted().toList();
        for (String service : serviceNames) {
            try {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                for (String networkId : networkIds) {
                    digest.update(("network:" + networkId + "\n").getBytes(StandardCharsets.UTF_8));
                    digest.update(canonical.get(networkId).get(service));
                    digest.update((byte) '\n');
                }
                out.put(service, java.util.HexFormat.of().formatHex(digest.digest()));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is mandatory in every JRE", e);
            }
        }
        return out;
    }

    /** The characteristics of the enabled services for one subscriber, in document order. */
    List<Characteristic> render(HomeNetwork network, List<String> enabledServices, Map<String, String> userValues) {
        Map<String, ServiceTemplate> templates = bound.get(network.id());
        List<Characteristic> out = new ArrayList<>(enabledServices.size());
        for (String service : enabledServices) {
            Characteristic c = templates.get(service).render(userValues);
            if (c != null) {
                out.add(c);
            }
        }
        return out;
    }
}

package io.provisioninghub.routes.configuration;

import io.provisioninghub.schemas.provisioningdoc.Characteristic;
import io.provisioninghub.schemas.provisioningdoc.Parm;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service's configuration template (INT-5): one {@code <characteristic>} element whose {@code parm} values
 * may hold placeholders. Static placeholders (network values) are bound once per network by
 * {@link #bind(Function)}; user placeholders (identities) are filled per request by {@link #render(Map)}.
 * A {@code parm} whose value renders empty is left out, and so is a characteristic left with nothing in it,
 * so optional values that a subscriber lacks (e.g. an MSISDN) never appear as empty parameters.
 */
final class ServiceTemplate {

    static final Set<String> USER_PLACEHOLDERS = Set.of("imsi", "msisdn", "impi", "impu-sip", "impu-tel", "impu-temporary");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z0-9.-]+)}");

    private final TemplateNode.Group root;

    private ServiceTemplate(TemplateNode.Group root) {
        this.root = root;
    }

    /** Parses a template with DTDs and external entities refused. */
    static ServiceTemplate parse(InputStream xml) throws IOException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            factory.setNamespaceAware(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            Document document = builder.parse(xml);
            Element element = document.getDocumentElement();
            if (!"characteristic".equals(element.getTagName())) {
                throw new IOException("a service template is one <characteristic> element");
            }
            return new ServiceTemplate(readGroup(element));
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("invalid service template: " + e.getMessage(), e);
        }
    }

    private static TemplateNode.Group readGroup(Element element) throws IOException {
        List<TemplateNode> children = new ArrayList<>();
        for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e) {
                switch (e.getTagName()) {
                    case "characteristic" -> children.add(readGroup(e));
                    case "parm" -> children.add(new TemplateNode.Param(e.getAttribute("name"), segments(e.getAttribute("value"))));
                    default -> throw new IOException("unexpected element <" + e.getTagName() + "> in a template");
                }
            }
        }
        String type = element.getAttribute("type");
        if (type.isEmpty()) {
            throw new IOException("a characteristic needs a type");
        }
        return new TemplateNode.Group(type, List.copyOf(children));
    }

    private static List<Segment> segments(String value) {
        List<Segment> out = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(value);
        int last = 0;
        while (m.find()) {
            if (m.start() > last) {
                out.add(new Segment(false, value.substring(last, m.start())));
            }
            out.add(new Segment(true, m.group(1)));
            last = m.end();
        }
        if (last < value.length()) {
            out.add(new Segment(false, value.substring(last)));
        }
        return List.copyOf(out);
    }

    /**
     * Replaces the static placeholders by their values.
     *
     * @throws IllegalArgumentException for a placeholder that is neither static (known to {@code staticValues})
     *                                  nor a user placeholder: templates fail at start-up, not per request
     */
    ServiceTemplate bind(Function<String, String> staticValues) {
        return new ServiceTemplate(bindGroup(root, staticValues));
    }

    private static TemplateNode.Group bindGroup(TemplateNode.Group group, Function<String, String> values) {
        List<TemplateNode> children = new ArrayList<>();
        for (TemplateNode node : group.children()) {
            if (node instanceof TemplateNode.Group g) {
                children.add(bindGroup(g, values));
            } else if (node instanceof TemplateNode.Param p) {
                List<Segment> bound = new ArrayList<>();
                for (Segment s : p.value()) {
                    if (s.placeholder() && !USER_PLACEHOLDERS.contains(s.text())) {
                        String v = values.apply(s.text());
                        if (v == null) {
                            throw new IllegalArgumentException("unknown template placeholder ${" + s.text() + "}");
                        }
                        bound.add(new Segment(false, v));
                    } else {
                        bound.add(s);
                    }
                }
                children.add(new TemplateNode.Param(p.name(), List.copyOf(bound)));
            }
        }
        return new TemplateNode.Group(group.type(), List.copyOf(children));
    }

    /** A canonical text of the template: equal text, equal static parameters. */
    String canonical() {
        StringBuilder out = new StringBuilder();
        canonical(root, out);
        return out.toString();
    }

    private static void canonical(TemplateNode.Group group, StringBuilder out) {
        out.append("<c ").append(group.type().length()).append(':').append(group.type()).append('>');
        for (TemplateNode node : group.children()) {
            if (node instanceof TemplateNode.Group g) {
                canonical(g, out);
            } else if (node instanceof TemplateNode.Param p) {
                out.append("<p ").append(p.name().length()).append(':').append(p.name()).append('=');
                for (Segment s : p.value()) {
                    out.append(s.placeholder() ? "${" + s.text() + "}" : s.text().length() + ":" + s.text());
                }
                out.append('>');
            }
        }
        out.append("</c>");
    }

    /** @return the characteristic for one subscriber, or null when nothing in it renders */
    Characteristic render(Map<String, String> userValues) {
        return renderGroup(root, userValues);
    }

    private static Characteristic renderGroup(TemplateNode.Group group, Map<String, String> values) {
        Characteristic c = new Characteristic();
        c.setType(group.type());
        for (TemplateNode node : group.children()) {
            if (node instanceof TemplateNode.Group g) {
                Characteristic child = renderGroup(g, values);
                if (child != null) {
                    c.getParmOrCharacteristic().add(child);
                }
            } else if (node instanceof TemplateNode.Param p) {
                String value = renderValue(p.value(), values);
                if (value != null) {
                    Parm parm = new Parm();
                    parm.setName(p.name());
                    parm.setValue(value);
                    c.getParmOrCharacteristic().add(parm);
                }
            }
        }
        return c.getParmOrCharacteristic().isEmpty() ? null : c;
    }

    /** null when a placeholder has no value for this subscriber, or the value is empty: the parm is omitted. */
    private static String renderValue(List<Segment> segments, Map<String, String> values) {
        if (segments.size() == 1 && !segments.get(0).placeholder()) {
            return segments.get(0).text().isEmpty() ? null : segments.get(0).text();
        }
        StringBuilder out = new StringBuilder();
        for (Segment s : segments) {
            if (s.placeholder()) {
                String v = values.get(s.text());
                if (v == null || v.isEmpty()) {
                    return null;
                }
                out.append(v);
            } else {
                out.append(s.text());
            }
        }
        return out.isEmpty() ? null : out.toString();
    }

    private record Segment(boolean placeholder, String text) {
    }

    private sealed interface TemplateNode {
        record Group(String type, List<TemplateNode> children) implements TemplateNode {
        }

        record Param(String name, List<Segment> value) implements TemplateNode {
        }
    }
}

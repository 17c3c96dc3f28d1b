package io.provisioninghub.routes.support;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A configuration document as a device reads it: validated against the XSD in schemas/ (CFG-10), then parsed
 * (with DTDs refused) to query characteristics and parameters.
 */
public final class ProvisioningDocument {

    private static final Schema SCHEMA = loadSchema();

    private final Document document;

    private ProvisioningDocument(Document document) {
        this.document = document;
    }

    /** @throws AssertionError when the body does not validate against wap-provisioningdoc.xsd */
    public static ProvisioningDocument parse(String xml) {
        try {
            SCHEMA.newValidator().validate(new StreamSource(new StringReader(xml)));
        } catch (SAXException | java.io.IOException e) {
            throw new AssertionError("document does not validate against the XSD: " + e.getMessage() + "\n" + xml, e);
        }
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return new ProvisioningDocument(factory.newDocumentBuilder()
                    .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Schema loadSchema() {
        try {
            URL xsd = ProvisioningDocument.class.getClassLoader().getResource("xsd/wap-provisioningdoc.xsd");
            SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "file,jar:file");
            return factory.newSchema(xsd);
        } catch (SAXException e) {
            throw new IllegalStateException(e);
        }
    }

    public String rootVersionAttribute() {
        return document.getDocumentElement().getAttribute("version");
    }

    /** Types of the top-level characteristics, in document order. */
    public List<String> topLevelTypes() {
        List<String> types = new ArrayList<>();
        for (Element e : children(document.getDocumentElement())) {
            types.add(e.getAttribute("type"));
        }
        return types;
    }

    /** The value of parm {@code name} directly inside the top-level characteristic {@code type}. */
    public Optional<String> parm(String type, String name) {
        for (Element c : children(document.getDocumentElement())) {
            if (c.getAttribute("type").equals(type)) {
                for (Element p : children(c)) {
                    if (p.getTagName().equals("parm") && p.getAttribute("name").equals(name)) {
                        return Optional.of(p.getAttribute("value"));
                    }
                }
            }
        }
        return Optional.empty();
    }

    public long version() {
        return Long.parseLong(parm("VERS", "version").orElseThrow());
    }

    public long validity() {
        return Long.parseLong(parm("VERS", "validity").orElseThrow());
    }

    /** Every parm value anywhere in the document with this name. */
    public List<String> allParmValues(String name) {
        List<String> values = new ArrayList<>();
        NodeList parms = document.getElementsByTagName("parm");
        for (int i = 0; i < parms.getLength(); i++) {
            Element p = (Element) parms.item(i);
            if (p.getAttribute("name").equals(name)) {
                values.add(p.getAttribute("value"));
            }
        }
        return values;
    }

    public boolean hasEmptyParmValue() {
        NodeList parms = document.getElementsByTagName("parm");
        for (int i = 0; i < parms.getLength(); i++) {
            Element p = (Element) parms.item(i);
            if (p.hasAttribute("value") && p.getAttribute("value").isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private static List<Element> children(Element parent) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e) {
                out.add(e);
            }
        }
        return out;
    }
}

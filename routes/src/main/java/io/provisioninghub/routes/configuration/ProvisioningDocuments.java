package io.provisioninghub.routes.configuration;

import io.provisioninghub.schemas.provisioningdoc.Characteristic;
import io.provisioninghub.schemas.provisioningdoc.Parm;
import io.provisioninghub.schemas.provisioningdoc.WapProvisioningdoc;
import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Marshaller;
import org.springframework.stereotype.Component;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Builds and serialises the {@code wap-provisioningdoc} (RCC.14 §4, CFG-10) with the JAXB classes generated
 * from {@code schemas/src/main/resources/xsd/wap-provisioningdoc.xsd}. Characteristics come out in a fixed
 * order — VERS, TOKEN, MSG, then the services in configured order — and JAXB escapes every value.
 */
@Component
class ProvisioningDocuments {

    private final JAXBContext jaxb;
    /** A Marshaller is not thread-safe but is reusable: one per request thread spares creating one per document. */
    private final ThreadLocal<Marshaller> marshallers;

    ProvisioningDocuments() throws JAXBException {
        this.jaxb = JAXBContext.newInstance(WapProvisioningdoc.class);
        this.marshallers = ThreadLocal.withInitial(this::newMarshaller);
    }

    private Marshaller newMarshaller() {
        try {
            Marshaller marshaller = jaxb.createMarshaller();
            marshaller.setProperty(Marshaller.JAXB_ENCODING, "UTF-8");
            marshaller.setProperty(Marshaller.JAXB_FORMATTED_OUTPUT, Boolean.TRUE);
            return marshaller;
        } catch (JAXBException e) {
            throw new IllegalStateException("cannot create a JAXB marshaller", e);
        }
    }

    /** Table 2: a full configuration. {@code token} and {@code message} may be null. */
    byte[] full(long version, long validitySeconds, String token, UserMessages.Text message,
                List<Characteristic> services) {
        WapProvisioningdoc doc = vers(version, validitySeconds);
        if (token != null) {
            doc.getCharacteristic().add(characteristic("TOKEN", parm("token", token)));
        }
        if (message != null) {
            doc.getCharacteristic().add(msg(message));
        }
        doc.getCharacteristic().addAll(services);
        return marshal(doc);
    }

    /** Table 3: the client's version is current; only the validity is refreshed. */
    byte[] versionOnly(long version, long validitySeconds) {
        return marshal(vers(version, validitySeconds));
    }

    /** Tables 4, 5, 6: version and validity both 0, -1 or -2, optionally with a MSG (§2.2.3). */
    byte[] reset(ResetKind kind, UserMessages.Text message) {
        WapProvisioningdoc doc = vers(kind.value(), kind.value());
        if (message != null) {
            doc.getCharacteristic().add(msg(message));
        }
        return marshal(doc);
    }

    /**
     * Table 11 (RCC.14 §2.3.3): the "SMS port zero" policy, sent in the 200 OK just before a user-visible OTP SMS.
     * No VERS: the document announces how the OTP comes, it configures nothing.
     */
    byte[] smsPortZeroPolicy() {
        WapProvisioningdoc doc = new WapProvisioningdoc();
        doc.setVersion("1.1");
        doc.getCharacteristic().add(characteristic("POLICY", parm("SMS_port", "0")));
        return marshal(doc);
    }

    private static WapProvisioningdoc vers(long version, long validity) {
        WapProvisioningdoc doc = new WapProvisioningdoc();
        doc.setVersion("1.1");
        doc.getCharacteristic().add(characteristic("VERS",
                parm("version", Long.toString(version)), parm("validity", Long.toString(validity))));
        return doc;
    }

    /** §2.2.3: title, message, an Accept button, no Reject button (the configuration applies regardless). */
    private static Characteristic msg(UserMessages.Text text) {
        return characteristic("MSG", parm("title", text.title()), parm("message", text.message()),
                parm("Accept_btn", "1"), parm("Reject_btn", "0"));
    }

    private static Characteristic characteristic(String type, Parm... parms) {
        Characteristic c = new Characteristic();
        c.setType(type);
        c.getParmOrCharacteristic().addAll(List.of(parms));
        return c;
    }

    private static Parm parm(String name, String value) {
        Parm p = new Parm();
        p.setName(name);
        p.setValue(value);
        return p;
    }

    private byte[] marshal(WapProvisioningdoc doc) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
            marshallers.get().marshal(doc, out);
            return out.toByteArray();
        } catch (JAXBException e) {
            throw new IllegalStateException("cannot serialise a provisioning document", e);
        }
    }
}

package io.provisioninghub.connectors.deviceidentity.sandbox;

import io.provisioninghub.connectors.deviceidentity.DeviceCertificates;
import io.provisioninghub.connectors.deviceidentity.Pem;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * SANDBOX ONLY: what a device gets at manufacturing from the {@link TestManufacturerCa}: its certificate, the
 * chain it presents (device certificate, then the intermediate; never the root) and its private key.
 *
 * @param certificate the device certificate
 * @param chain       the device certificate followed by its intermediates, as the device presents them
 * @param privateKey  the device's private key
 */
public record DeviceCredentials(X509Certificate certificate, List<X509Certificate> chain, PrivateKey privateKey) {

    /** Alias of the key entry in {@link #pkcs12(char[])}. */
    public static final String ALIAS = "device";

    public DeviceCredentials {
        chain = List.copyOf(chain);
    }

    /** The chain as PEM (device certificate first): what {@code DeviceCertificates.validatePem} takes. */
    public String chainPem() {
        return Pem.write(chain.toArray());
    }

    /** The private key as PKCS#8 PEM ("PRIVATE KEY"), unencrypted: sandbox keys protect nothing real. */
    public String privateKeyPem() {
        return Pem.write(privateKey);
    }

    /** SHA-256 fingerprint of the device certificate, as {@code DeviceIdentity.fingerprint()} gives it. */
    public String fingerprint() {
        return DeviceCertificates.fingerprint(certificate);
    }

    /** A PKCS#12 key store holding the key and the chain under {@link #ALIAS} (for TLS clients, curl, browsers). */
    public KeyStore keyStore(char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, privateKey, password, chain.toArray(new Certificate[0]));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the device's PKCS#12 key store", e);
        }
    }

    /** {@link #keyStore(char[])} encoded as a .p12 file's bytes. */
    public byte[] pkcs12(char[] password) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            keyStore(password).store(out, password);
            return out.toByteArray();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot encode the device's PKCS#12 key store", e);
        }
    }

    /**
     * Writes {@code <name>.cert.pem} (chain), {@code <name>.key.pem} (PKCS#8) and {@code <name>.p12} into the
     * directory and returns their paths in that order.
     */
    public List<Path> writeTo(Path directory, String name, char[] password) {
        try {
            Files.createDirectories(directory);
            Path cert = write(directory.resolve(name + ".cert.pem"), chainPem().getBytes(StandardCharsets.US_ASCII));
            Path key = write(directory.resolve(name + ".key.pem"), privateKeyPem().getBytes(StandardCharsets.US_ASCII));
            Path p12 = write(directory.resolve(name + ".p12"), pkcs12(password));
            return List.of(cert, key, p12);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path file, byte[] content) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(partial, content);
        return Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    // Records print every component: never the private key.
    @Override
    public String toString() {
        return "DeviceCredentials[fingerprint=" + fingerprint() + ", chain=" + chain.size() + " certificate(s)]";
    }
}

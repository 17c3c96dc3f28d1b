package io.provisioninghub.connectors.deviceidentity.sandbox;

import io.provisioninghub.connectors.deviceidentity.Imei;
import io.provisioninghub.connectors.deviceidentity.Pem;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * SANDBOX ONLY: the test manufacturer CA's command line, so a person can mint a device certificate and try the
 * sign-up flow. Run from the repository root:
 * <pre>
 * ./mvnw -o -q -pl connectors/device-identity compile exec:exec -Dca.args="mint --imei 35209900176148"
 * </pre>
 */
@Command(name = "test-manufacturer-ca", mixinStandardHelpOptions = true,
        description = "The sandbox's TEST manufacturer CA (never a real one): mint device certificates, revoke them.",
        subcommands = {SandboxCaCommand.Init.class, SandboxCaCommand.Mint.class, SandboxCaCommand.Revoke.class,
                SandboxCaCommand.Crl.class})
final class SandboxCaCommand {

    @Option(names = "--dir", defaultValue = "data/sandbox/manufacturer-ca",
            description = "The CA's data directory (created on first use). Default: ${DEFAULT-VALUE}")
    Path directory;

    static int run(String... args) {
        CommandLine line = new CommandLine(new SandboxCaCommand());
        line.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println(commandLine.getColorScheme().errorText("error: " + e.getMessage()));
            return 1;
        });
        return line.execute(args);
    }

    TestManufacturerCa ca() {
        return TestManufacturerCa.loadOrCreate(directory);
    }

    @Command(name = "init", description = "Create the CA (or load it) and print how to make the hub trust it.")
    static final class Init implements Callable<Integer> {
        @CommandLine.ParentCommand
        SandboxCaCommand parent;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            TestManufacturerCa ca = parent.ca();
            PrintWriter out = spec.commandLine().getOut();
            out.println("Test manufacturer CA: " + ca.rootCertificate().getSubjectX500Principal().getName());
            out.println("Trust it in the hub (development only):");
            out.println("  hub.device-identity.sandbox-ca-directory=" + ca.directory());
            out.println("or as an ordinary manufacturer:");
            out.println("  hub.device-identity.manufacturers[0].name=" + ca.organisation());
            out.println("  hub.device-identity.manufacturers[0].ca-files[0]=" + ca.rootCertificateFile());
            for (int i = 0; i < ca.crlFiles().size(); i++) {
                out.println("  hub.device-identity.manufacturers[0].crl-files[" + i + "]=" + ca.crlFiles().get(i));
            }
            return 0;
        }
    }

    @Command(name = "mint", description = "Mint a device certificate and key: <name>.cert.pem (chain), "
            + "<name>.key.pem (PKCS#8) and <name>.p12.")
    static final class Mint implements Callable<Integer> {
        @CommandLine.ParentCommand
        SandboxCaCommand parent;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--imei", description = "The device's IMEI: 15 digits, or 14 and the check digit is added."
                + " Without --imei and --serial, a random test IMEI (TAC starting with 00).")
        String imei;
        @Option(names = "--serial", description = "A serial number instead of an IMEI (letters, digits, '.', '-').")
        String serial;
        @Option(names = "--rsa", paramLabel = "BITS", description = "An RSA key of this size instead of EC P-256.")
        int rsaBits;
        @Option(names = "--p384", description = "An EC P-384 key instead of P-256.")
        boolean p384;
        @Option(names = "--days", defaultValue = "3652", description = "Validity in days. Default: ${DEFAULT-VALUE}")
        int days;
        @Option(names = "--expired", description = "Mint an expired certificate (to see the hub refuse it).")
        boolean expired;
        @Option(names = "--out", defaultValue = ".", description = "Output directory. Default: the current one.")
        Path out;
        @Option(names = "--name", description = "File name stem. Default: device-<imei or serial>.")
        String name;
        @Option(names = "--password", defaultValue = "device", description = "PKCS#12 password. Default: ${DEFAULT-VALUE}")
        String password;

        @Override
        public Integer call() {
            String subject;
            String id;
            if (serial != null) {
                subject = "SN:" + serial;
                id = serial;
            } else {
                id = imei == null ? randomTestImei() : imei.length() == 14 ? Imei.withCheckDigit(imei) : imei;
                if (!Imei.isValid(id)) {
                    throw new IllegalArgumentException("--imei " + imei + " is not a valid IMEI (15 digits with the"
                            + " Luhn check digit, or 14 digits)");
                }
                subject = "IMEI:" + id;
            }
            DeviceCertificateSpec device = parent.ca().device(subject);
            if (rsaBits > 0) {
                device.rsa(rsaBits);
            } else if (p384) {
                device.ec("secp384r1");
            }
            Instant now = Instant.now();
            device.validity(now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofDays(days)));
            if (expired) {
                device.expired();
            }
            DeviceCredentials credentials = device.mint();
            List<Path> files = credentials.writeTo(out, name == null ? "device-" + id : name, password.toCharArray());
            PrintWriter printer = spec.commandLine().getOut();
            printer.println("Device " + subject + ", valid until " + credentials.certificate().getNotAfter().toInstant());
            printer.println("SHA-256 fingerprint: " + credentials.fingerprint());
            files.forEach(file -> printer.println("  " + file.toAbsolutePath()));
            return 0;
        }

        private static String randomTestImei() {
            SecureRandom random = new SecureRandom();
            StringBuilder digits = new StringBuilder("00");
            while (digits.length() < 14) {
                digits.append(random.nextInt(10));
            }
            return Imei.withCheckDigit(digits.toString());
        }
    }

    @Command(name = "revoke", description = "Revoke a device certificate (key compromise) and rewrite the CRLs.")
    static final class Revoke implements Callable<Integer> {
        @CommandLine.ParentCommand
        SandboxCaCommand parent;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "CERT_PEM", description = "The device's certificate file (its first certificate is revoked).")
        Path certificate;

        @Override
        public Integer call() throws Exception {
            X509Certificate revoked = Pem.certificates(Files.readString(certificate)).get(0);
            TestManufacturerCa ca = parent.ca();
            ca.revoke(revoked);
            spec.commandLine().getOut().println("Revoked serial " + revoked.getSerialNumber().toString(16)
                    + "; CRLs rewritten: " + ca.crlFiles());
            return 0;
        }
    }

    @Command(name = "crl", description = "Rewrite the CRLs now (fresh nextUpdate).")
    static final class Crl implements Callable<Integer> {
        @CommandLine.ParentCommand
        SandboxCaCommand parent;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            TestManufacturerCa ca = parent.ca();
            ca.writeCrls();
            spec.commandLine().getOut().println("CRLs rewritten: " + ca.crlFiles());
            return 0;
        }
    }
}

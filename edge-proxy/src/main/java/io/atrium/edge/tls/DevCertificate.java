package io.atrium.edge.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;

/**
 * A self-signed development certificate (EC P-256, {@code CN=atrium-dev}, SAN {@code localhost}, {@code 127.0.0.1},
 * {@code ::1}, valid one year) written as PEM files, for local runs only.
 *
 * <p>Built with the JDK alone: BouncyCastle is not on the classpath and Netty's fallback generator needs the JDK's
 * internal {@code sun.security.x509} classes, which JDK 17+ no longer exports. The certificate is a small DER
 * structure (RFC 5280) signed with {@code SHA256withECDSA}.
 */
public final class DevCertificate {

    public static final String CERT_FILE = "dev-cert.pem";
    public static final String KEY_FILE = "dev-key.pem";

    private static final byte[] OID_EC_WITH_SHA256 = {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x04, 0x03, 0x02};
    private static final byte[] OID_COMMON_NAME = {0x55, 0x04, 0x03};
    private static final byte[] OID_SUBJECT_ALT_NAME = {0x55, 0x1d, 0x11};
    private static final byte[] OID_BASIC_CONSTRAINTS = {0x55, 0x1d, 0x13};
    private static final byte[] OID_EXTENDED_KEY_USAGE = {0x55, 0x1d, 0x25};
    private static final byte[] OID_SERVER_AUTH = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01};

    private DevCertificate() {
    }

    /** The PEM files of a certificate and its key. */
    public record PemFiles(Path certificate, Path privateKey) {
    }

    /** Returns the development certificate in {@code directory}, generating it on first use. */
    public static PemFiles ensure(Path directory) {
        Path cert = directory.resolve(CERT_FILE);
        Path key = directory.resolve(KEY_FILE);
        if (Files.isRegularFile(cert) && Files.isRegularFile(key)) {
            return new PemFiles(cert, key);
        }
        try {
            Files.createDirectories(directory);
            KeyPair pair = generateKeyPair();
            byte[] der = selfSigned(pair, Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(365)));
            Path keyTmp = Files.createTempFile(directory, "key", ".tmp");
            restrict(keyTmp);
            Files.writeString(keyTmp, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
            Files.move(keyTmp, key, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(cert, pem("CERTIFICATE", der), StandardCharsets.US_ASCII);
            return new PemFiles(cert, key);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the development certificate to " + directory, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate the development certificate: " + e.getMessage(), e);
        }
    }

    static KeyPair generateKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /** The DER encoding of a self-signed certificate for {@code pair}. */
    static byte[] selfSigned(KeyPair pair, Instant notBefore, Instant notAfter) throws GeneralSecurityException {
        byte[] algorithm = sequence(oid(OID_EC_WITH_SHA256));
        byte[] name = sequence(set(sequence(oid(OID_COMMON_NAME), tlv(0x0c, "atrium-dev".getBytes(StandardCharsets.UTF_8)))));
        byte[] serial = tlv(0x02, new BigInteger(64, new SecureRandom()).add(BigInteger.ONE).toByteArray());
        byte[] validity = sequence(time(notBefore), time(notAfter));
        byte[] extensions = tlv(0xa3, sequence(
                sequence(oid(OID_BASIC_CONSTRAINTS), tlv(0x04, sequence())),
                sequence(oid(OID_EXTENDED_KEY_USAGE), tlv(0x04, sequence(oid(OID_SERVER_AUTH)))),
                sequence(oid(OID_SUBJECT_ALT_NAME), tlv(0x04, subjectAltNames()))));
        byte[] tbs = sequence(tlv(0xa0, tlv(0x02, new byte[] {2})), serial, algorithm, name, validity, name,
                pair.getPublic().getEncoded(), extensions);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(pair.getPrivate());
        signer.update(tbs);
        byte[] signature = signer.sign();
        return sequence(tbs, algorithm, bitString(signature));
    }

    private static byte[] subjectAltNames() {
        ByteArrayOutputStream names = new ByteArrayOutputStream();
        names.writeBytes(tlv(0x82, "localhost".getBytes(StandardCharsets.US_ASCII)));
        for (String ip : List.of("127.0.0.1", "::1")) {
            names.writeBytes(tlv(0x87, InetAddress.ofLiteral(ip).getAddress()));
        }
        return tlv(0x30, names.toByteArray());
    }

    private static byte[] time(Instant instant) {
        String text = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC).format(instant);
        return tlv(0x17, text.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] oid(byte[] encoded) {
        return tlv(0x06, encoded);
    }

    private static byte[] bitString(byte[] bits) {
        byte[] content = new byte[bits.length + 1];
        System.arraycopy(bits, 0, content, 1, bits.length);
        return tlv(0x03, content);
    }

    private static byte[] sequence(byte[]... parts) {
        return tlv(0x30, concat(parts));
    }

    private static byte[] set(byte[]... parts) {
        return tlv(0x31, concat(parts));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 4);
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length & 0xff);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static void restrict(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException e) {
            // Not a POSIX file system: the directory's own permissions apply.
        }
    }
}

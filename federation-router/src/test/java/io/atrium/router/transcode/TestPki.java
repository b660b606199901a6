package io.atrium.router.transcode;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Test TLS material made per run (BouncyCastle, test scope): a CA and leaf certificates it signs, written as PEM files
 * (certificates, PKCS#8 keys) into a directory. Server leaves name {@code localhost} and {@code 127.0.0.1}.
 */
public final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

    private final String name;
    private final KeyPair keys;
    private final X509Certificate certificate;
    /** The CA's certificate as a PEM file. */
    public final Path caFile;

    /** A PEM certificate chain and its private key. */
    public record Pair(Path certFile, Path keyFile) {
    }

    private TestPki(String name, KeyPair keys, X509Certificate certificate, Path caFile) {
        this.name = name;
        this.keys = keys;
        this.certificate = certificate;
        this.caFile = caFile;
    }

    /** A new self-signed CA named {@code name}, its certificate written to {@code <dir>/<name>-ca.pem}. */
    public static TestPki ca(Path dir, String name) throws Exception {
        KeyPair keys = keyPair();
        X500Name subject = new X500Name("CN=" + name + " test CA");
        X509v3CertificateBuilder builder = builder(subject, subject, keys);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        X509Certificate certificate = sign(builder, keys.getPrivate());
        Path caFile = dir.resolve(name + "-ca.pem");
        Files.writeString(caFile, pem(certificate));
        return new TestPki(name, keys, certificate, caFile);
    }

    /** A server certificate for {@code localhost}/{@code 127.0.0.1} signed by this CA. */
    public Pair server(Path dir, String leaf) throws Exception {
        return leaf(dir, leaf, KeyPurposeId.id_kp_serverAuth, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
    }

    /** A client certificate (mTLS) signed by this CA. */
    public Pair client(Path dir, String leaf) throws Exception {
        return leaf(dir, leaf, KeyPurposeId.id_kp_clientAuth, null);
    }

    private Pair leaf(Path dir, String leaf, KeyPurposeId purpose, GeneralNames names) throws Exception {
        KeyPair leafKeys = keyPair();
        X509v3CertificateBuilder builder = builder(new X500Name("CN=" + name + " test CA"), new X500Name("CN=" + leaf),
                leafKeys);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
        if (names != null) {
            builder.addExtension(Extension.subjectAlternativeName, false, names);
        }
        X509Certificate leafCertificate = sign(builder, keys.getPrivate());
        Path cert = dir.resolve(leaf + ".pem");
        Path key = dir.resolve(leaf + "-key.pem");
        Files.writeString(cert, pem(leafCertificate) + pem(certificate));
        Files.writeString(key, pem(leafKeys.getPrivate()));
        return new Pair(cert, key);
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject,
                keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            // a PrivateKey is written as PKCS#8 ("PRIVATE KEY"), which Netty reads without BouncyCastle
            writer.writeObject(object instanceof PrivateKey key
                    ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null) : object);
        }
        return out.toString();
    }
}

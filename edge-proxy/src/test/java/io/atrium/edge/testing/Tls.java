package io.atrium.edge.testing;

import io.atrium.edge.tls.DevCertificate;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;

/** Test TLS material: a development certificate in a temporary directory and a client context trusting only it. */
public final class Tls {

    private Tls() {
    }

    public static DevCertificate.PemFiles certificateIn(Path directory) {
        return DevCertificate.ensure(directory);
    }

    public static SSLContext trusting(Path certificatePem) throws Exception {
        Certificate certificate;
        try (InputStream in = Files.newInputStream(certificatePem)) {
            certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("edge", certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}

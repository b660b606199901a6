package io.atrium.edge.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DevCertificateTest {

    @Test
    void generatesAParseableSelfSignedServerCertificateOnceAndReusesIt(@TempDir Path dir) throws Exception {
        DevCertificate.PemFiles files = DevCertificate.ensure(dir.resolve("certs"));

        X509Certificate cert;
        try (InputStream in = Files.newInputStream(files.certificate())) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        cert.checkValidity();
        cert.verify(cert.getPublicKey());
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=atrium-dev");
        assertThat(cert.getSubjectAlternativeNames().stream().map(name -> (Object) name.get(1)).toList())
                .containsExactlyInAnyOrder("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(Files.readString(files.privateKey())).startsWith("-----BEGIN PRIVATE KEY-----");

        byte[] first = Files.readAllBytes(files.certificate());
        DevCertificate.ensure(dir.resolve("certs"));
        assertThat(Files.readAllBytes(files.certificate())).as("generated once, then reused").isEqualTo(first);
        assertThat(List.of(dir.resolve("certs").toFile().list())).containsExactlyInAnyOrder(DevCertificate.CERT_FILE, DevCertificate.KEY_FILE);
    }
}

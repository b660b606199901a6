package io.atrium.edge.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The HTTPS data listener (HTTP/2 and HTTP/1.1 negotiated with ALPN).
 *
 * @param host {@code listeners.https.host}, default {@code 0.0.0.0}
 * @param port {@code listeners.https.port}, default 8443; 0 picks a free port (tests)
 * @param certificateFile {@code cert_file}: PEM certificate chain; empty (with {@code key_file} empty too) means a
 *     self-signed development certificate generated at first start into {@code .atrium/certs/}
 * @param keyFile {@code key_file}: PEM PKCS#8 private key
 * @param redirectPort {@code redirect_port}: the HTTPS port clients reach, used in redirects from {@code redirect_to_https}
 *     routes; default the listener's port (omitted from the URL when 443)
 * @param devCertificateDirectory {@code dev_cert_dir}, default {@code .atrium/certs} (relative to the working directory):
 *     where the development certificate is generated and kept when no {@code cert_file} is given
 */
public record TlsListenerConfig(String host, int port, Optional<Path> certificateFile, Optional<Path> keyFile, Optional<Integer> redirectPort,
                                Path devCertificateDirectory) {

    public static final Path DEFAULT_DEV_CERT_DIR = Path.of(".atrium", "certs");

    public static final int DEFAULT_PORT = 8443;

    public boolean usesDevelopmentCertificate() {
        return certificateFile.isEmpty();
    }
}

package io.atrium.router.config;

import static io.atrium.router.config.StrictYaml.check;
import static io.atrium.router.config.StrictYaml.map;
import static io.atrium.router.config.StrictYaml.string;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Map;
import java.util.Set;

/**
 * TLS (and mTLS) from the router to a gRPC server: the {@code tls:} block of a gRPC connector target
 * ({@code connectors.grpc.<subgraph>.tls}) and of a transcoding backend ({@code backends.<name>.tls}). No block, or
 * {@code enabled: false}, is plaintext HTTP/2 (h2c), meant for loopback and sidecar targets.
 *
 * <pre>
 * tls:
 *   enabled: true              # default true when the block is present
 *   ca_file: ca.pem            # PEM trust anchors; default the JDK's trust store
 *   cert_file: client.pem      # client certificate chain (mTLS), with key_file
 *   key_file: client-key.pem   # its PKCS#8 PEM private key
 *   server_name: payments.internal   # name checked against the server certificate (and SNI); default the target host
 * </pre>
 *
 * @param caFile     PEM trust anchors; null = the JDK's
 * @param certFile   client certificate chain for mTLS (with keyFile); null = no client certificate
 * @param keyFile    the client's private key (PKCS#8 PEM); null with certFile
 * @param serverName the authority checked against the server's certificate; null = the target's host
 */
public record GrpcTls(Path caFile, Path certFile, Path keyFile, String serverName) {

    private static final Set<String> KEYS = Set.of("enabled", "ca_file", "cert_file", "key_file", "server_name");

    public GrpcTls {
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("cert_file and key_file go together (mTLS)");
        }
    }

    /**
     * Reads a {@code tls:} block strictly: unknown keys and missing or unreadable files fail with their path, and the
     * certificate files must hold PEM certificates, so a bad file stops the load instead of the first call.
     *
     * @param value the block's value
     * @param path  its path in the document, for errors
     * @param base  relative files resolve against it
     * @return the settings, or null for plaintext ({@code enabled: false})
     */
    public static GrpcTls parse(Object value, String path, Path base) {
        Map<String, Object> block = map(value, path);
        check(block, KEYS, path);
        if (block.containsKey("enabled")) {
            if (!(block.get("enabled") instanceof Boolean enabled)) {
                throw new ConfigException(path + ".enabled: expected true or false, got " + block.get("enabled"));
            }
            if (!enabled) {
                if (block.size() > 1) {
                    throw new ConfigException(path + ": enabled is false, remove the other keys or enable it");
                }
                return null;
            }
        }
        Path ca = file(block, "ca_file", path, base, true);
        Path cert = file(block, "cert_file", path, base, true);
        Path key = file(block, "key_file", path, base, false);
        if ((cert == null) != (key == null)) {
            throw new ConfigException(path + ": cert_file and key_file go together (mTLS)");
        }
        String serverName = block.containsKey("server_name")
                ? string(block.get("server_name"), path + ".server_name") : null;
        return new GrpcTls(ca, cert, key, serverName);
    }

    private static Path file(Map<String, Object> block, String key, String path, Path base, boolean certificates) {
        if (!block.containsKey(key)) {
            return null;
        }
        String where = path + "." + key;
        Path file = base.resolve(string(block.get(key), where)).normalize();
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ConfigException(where + ": no readable file at " + file);
        }
        if (certificates) {
            try (InputStream in = Files.newInputStream(file)) {
                if (CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
                    throw new ConfigException(where + ": no PEM certificate in " + file);
                }
            } catch (IOException | CertificateException e) {
                throw new ConfigException(where + ": not a PEM certificate file (" + file + "): " + e.getMessage());
            }
        }
        return file;
    }
}

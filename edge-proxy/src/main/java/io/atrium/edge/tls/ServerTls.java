package io.atrium.edge.tls;

import io.atrium.edge.config.EdgeConfigException;
import io.atrium.edge.config.TlsListenerConfig;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.nio.file.Path;

/**
 * The server TLS context of the HTTPS listener: TLS 1.2/1.3, ALPN offering h2 then http/1.1. The engine is OpenSSL
 * (BoringSSL from {@code netty-tcnative-boringssl-static}) when its native library loads on this platform, else the
 * JDK's {@code SSLEngine} (several times the CPU per request).
 */
public final class ServerTls {

    private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);

    private ServerTls() {
    }

    /** {@code openssl} when the BoringSSL engine is usable here, else {@code jdk}. */
    public static String provider() {
        return sslProvider() == SslProvider.OPENSSL ? "openssl" : "jdk";
    }

    private static SslProvider sslProvider() {
        return OpenSsl.isAvailable() && OpenSsl.isAlpnSupported() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    public static SslContext context(TlsListenerConfig config) {
        Path cert;
        Path key;
        if (config.usesDevelopmentCertificate()) {
            DevCertificate.PemFiles files = DevCertificate.ensure(config.devCertificateDirectory());
            cert = files.certificate();
            key = files.privateKey();
            LOG.warn("HTTPS listener uses the self-signed development certificate {} (set listeners.https.cert_file and key_file in production)",
                    cert.toAbsolutePath());
        } else {
            cert = config.certificateFile().orElseThrow();
            key = config.keyFile().orElseThrow();
        }
        try {
            return SslContextBuilder.forServer(cert.toFile(), key.toFile())
                    .sslProvider(sslProvider())
                    .protocols("TLSv1.3", "TLSv1.2")
                    .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(
                            ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new EdgeConfigException("listeners.https: cannot use certificate " + cert + " with key " + key + ": " + e.getMessage(), e);
        }
    }
}

package dev.posture.image.source;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * An image in a Docker-compatible daemon ({@code daemon://NAME[:TAG]}; kind "daemon"): Docker, or podman's
 * Docker-compatible API ({@code podman system service}). The image is inspected (so a missing image or an
 * unreachable daemon fails fast and clearly), then {@code docker save}d and read as the stream arrives through
 * {@link DockerArchiveReader} — never written to disk, never held whole.
 *
 * <p>The daemon is {@link SourceOptions#dockerHost()} ({@code unix://}, {@code tcp://}); TLS only when
 * {@code DOCKER_TLS_VERIFY} is set (with {@code DOCKER_CERT_PATH}).
 */
public final class DaemonSource implements ImageSource {
    private final String name;
    private final SourceOptions options;

    /** @param name the image as the daemon knows it: {@code name[:tag]}, {@code name@sha256:…} or an image id */
    public DaemonSource(String name, SourceOptions options) {
        this.name = name;
        this.options = options;
    }

    @Override
    public String describe() {
        return "daemon " + options.dockerHost();
    }

    @Override
    public String kind() {
        return "daemon";
    }

    @Override
    public ImageManifest read(LayerSink layers) throws ImageException, IOException {
        if (name.isBlank()) {
            throw new ImageException(describe() + ": no image named (daemon://NAME[:TAG])");
        }
        DockerClientConfig config = config();
        try (DockerHttpClient http = httpClient(config);
             DockerClient docker = DockerClientImpl.getInstance(config, http)) {
            InspectImageResponse image = inspect(docker);
            // 'docker save app' saves every tag of app: name the one image meant
            String save = saveName();
            ImageManifest m;
            try (InputStream archive = docker.saveImageCmd(save).exec()) {
                m = new DockerArchiveReader(describe() + " image " + name, options.platform()).read(archive, layers);
            } catch (NotFoundException e) {
                throw new ImageException(describe() + ": no image " + name);
            } catch (DockerException | IllegalStateException e) {
                throw new ImageException(describe() + ": saving " + name + " failed (" + reason(e) + ")");
            }
            // a save by image id names no tags: the daemon's are the image's
            List<String> tags = !m.repoTags().isEmpty() || image.getRepoTags() == null
                    ? m.repoTags() : image.getRepoTags();
            return new ImageManifest(m.manifestDigest(), m.mediaType(), m.config(), m.configDigest(), m.layers(), tags);
        } catch (RuntimeException e) {
            throw new ImageException(describe() + ": " + reason(e));
        } catch (LinkageError e) {
            throw tlsUnsupported();
        }
    }

    private ImageException tlsUnsupported() {
        // client keys of DOCKER_CERT_PATH are read with BouncyCastle, which posture does not ship
        return new ImageException(describe() + ": TLS to the daemon (DOCKER_TLS_VERIFY) is not supported by this"
                + " build; reach it over a unix socket or an SSH tunnel");
    }

    private InspectImageResponse inspect(DockerClient docker) throws ImageException {
        try {
            return docker.inspectImageCmd(name).exec();
        } catch (NotFoundException e) {
            throw new ImageException(describe() + ": no image " + name);
        } catch (DockerException e) {
            throw new ImageException(describe() + ": inspecting " + name + " failed (" + reason(e) + ")");
        } catch (RuntimeException e) {
            // the transport wraps connection errors (no socket, refused, timed out) in runtime exceptions
            throw new ImageException(describe() + ": cannot connect (" + reason(e) + ")");
        }
    }

    /** A name without tag or digest means {@code :latest}, as {@code docker run} reads it; ids stay as they are. */
    String saveName() {
        if (name.contains("@") || name.matches("(sha256:)?[a-f0-9]{12,64}")) {
            return name;
        }
        int slash = name.lastIndexOf('/');
        return name.lastIndexOf(':') > slash ? name : name + ":latest";
    }

    private DockerClientConfig config() throws ImageException {
        String tls = System.getenv("DOCKER_TLS_VERIFY");
        boolean verify = tls != null && !tls.isBlank() && !tls.equals("0");
        try {
            return DefaultDockerClientConfig.createDefaultConfigBuilder()
                    .withDockerHost(options.dockerHost())
                    .withDockerTlsVerify(verify)
                    .build();
        } catch (RuntimeException e) {
            throw new ImageException(describe() + ": " + reason(e));
        }
    }

    private DockerHttpClient httpClient(DockerClientConfig config) throws ImageException {
        try {
            return new ZerodepDockerHttpClient.Builder()
                    .dockerHost(config.getDockerHost())
                    .sslConfig(config.getSSLConfig())
                    .connectionTimeout(options.timeout())
                    .responseTimeout(options.timeout())
                    .build();
        } catch (LinkageError e) {
            throw tlsUnsupported();
        } catch (RuntimeException e) {
            throw new ImageException(describe() + ": " + reason(e));
        }
    }

    /** One line: the innermost message, which says what the transport met (no such file, connection refused). */
    static String reason(Throwable e) {
        Throwable t = e;
        String msg = null;
        for (int i = 0; t != null && i < 10; i++, t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                msg = t.getClass().getSimpleName() + ": " + t.getMessage();
            }
        }
        if (msg == null) {
            msg = e.getClass().getSimpleName();
        }
        String line = msg.strip().lines().findFirst().orElse(msg);
        return Blobs.shorten(line);
    }
}

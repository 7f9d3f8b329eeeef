package io.crossgen.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/** The test copies of the sample definitions under src/test/resources/io/crossgen/image. */
final class Samples {
    static final String XCAT_A = "xcat-5.1a-install.stanza";
    static final String XCAT_B = "xcat-5.1b-environments.stanza";
    static final String XCAT_C = "xcat-5.1c-myimage.stanza";
    static final String XCAT_D = "xcat-5.1d-user.stanza";
    static final String XCAT_E = "xcat-5.1e-copycds.stanza";
    static final String RHELS8 = "rhels8.8.0-ppc64le-netboot-compute.stanza";
    static final String RHELS8_YAML = "rhels8.8.0-ppc64le-netboot-compute.yaml";
    static final String CUSTOM = "mycomputeimage.stanza";
    static final String CUSTOM_YAML = "mycomputeimage.yaml";

    private Samples() {
    }

    static String text(String name) {
        try (InputStream in = Objects.requireNonNull(Samples.class.getResourceAsStream(name), name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path path(String name) {
        try {
            return Path.of(Objects.requireNonNull(Samples.class.getResource(name), name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static OsImage stanza(String name) {
        return StanzaCodec.readOne(text(name), name);
    }
}

package io.crossgen.build;

import io.crossgen.image.OsImage;

/**
 * Where an image's tree and archives live ({@code rootimgdir}), as genimage and packimage decide it.
 * Package-private.
 */
final class RootimgDir {
    private RootimgDir() {
    }

    /**
     * The image's {@code rootimgdir}, or xCAT's default {@code <installdir>/netboot/<osvers>/<osarch>/<profile>}
     * when it has none (packimage's default; {@code site.installdir} is {@code /install} unless set).
     *
     * @throws BuildException when neither is known
     */
    static String of(OsImage image, String installdir) {
        return image.rootimgdir().filter(s -> !s.isBlank()).orElseGet(() -> installdir + "/netboot/"
                + need(image, "osvers") + "/" + need(image, "osarch") + "/" + need(image, "profile"));
    }

    /** The folder an image of its own gets: {@code <installdir>/netboot/<osvers>/<osarch>/<image name>}. */
    static String own(OsImage image, String installdir) {
        return installdir + "/netboot/" + need(image, "osvers") + "/" + need(image, "osarch") + "/" + image.name();
    }

    private static String need(OsImage image, String attribute) {
        return image.get(attribute).filter(s -> !s.isBlank()).orElseThrow(() -> new BuildException("osimage '"
                + image.name() + "' has no " + attribute + ", so its rootimgdir is unknown; set rootimgdir"));
    }
}

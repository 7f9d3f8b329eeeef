package io.crossgen.examples.bench;

import io.crossgen.build.CrossBuild;
import io.crossgen.build.Mount;
import io.crossgen.command.Command;
import io.crossgen.transport.Exec;
import io.crossgen.transport.Host;
import io.crossgen.transport.Transports;
import io.crossgen.transport.ssh.SshIdentity;
import io.crossgen.transport.ssh.SshSettings;
import io.crossgen.transport.ssh.SshTransportProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The testbed {@code testbed/up} started, read from its {@code testbed.env}: the MN (xcatmn) and the builder,
 * the SSH settings that trust exactly their host keys, and the ssh_config for the system client.
 */
final class Testbed {
    /** The architecture the stand-in images are defined for: this machine's. */
    static final String ARCH = System.getProperty("os.arch").equals("amd64") ? "x86_64"
            : System.getProperty("os.arch");

    private final Map<String, String> env;
    private final Transports transports;

    private Testbed(Map<String, String> env) {
        this.env = env;
        SshSettings ssh = SshSettings.builder()
                .knownHosts(Path.of(get("TESTBED_KNOWN_HOSTS")))
                .addIdentity(SshIdentity.of(Path.of(get("TESTBED_KEY"))))
                .defaultIdentities(false)
                .agent(false)
                .build()
                .withoutSshConfig();
        this.transports = Transports.discover().with(new SshTransportProvider(ssh));
    }

    /** Reads {@code $TESTBED_DIR/testbed.env} ({@code /tmp/testbed} by default). */
    static Testbed read() throws IOException {
        Path file = Path.of(System.getenv().getOrDefault("TESTBED_DIR", "/tmp/testbed"), "testbed.env");
        Map<String, String> env = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    env.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("no " + file + ": start the testbed with testbed/up (bench/run does)", e);
        }
        return new Testbed(env);
    }

    private String get(String key) {
        String value = env.get(key);
        if (value == null) {
            throw new IllegalStateException("testbed.env has no " + key);
        }
        return value;
    }

    Host mn() {
        return Host.parse("ssh://root@" + get("TESTBED_MN"));
    }

    Host builder() {
        return Host.parse("ssh://root@" + get("TESTBED_BUILDER"));
    }

    /** The local transport and an SSH transport for the testbed's hosts. */
    Transports transports() {
        return transports;
    }

    /** A cross build of the stand-in osimage of {@code profile} into {@code target}, as the end-to-end test does. */
    CrossBuild build(String profile, String target) {
        return CrossBuild.from(sourceImage(profile)).as(target)
                .managementNode(mn().toString(), "xcatmn")
                .builder(builder().toString())
                .mount(Mount.nfs())
                .replace(true)
                .transports(transports)
                .build();
    }

    /** The stand-in osimage of a profile: {@code rhels8.8.0-ARCH-netboot-PROFILE}. */
    static String sourceImage(String profile) {
        return "rhels8.8.0-" + ARCH + "-netboot-" + profile;
    }

    /**
     * Removes the stand-in osimages of {@code names} and their rootimgdirs from the MN, leaving the testbed as the
     * benchmark found it.
     */
    void forget(Exec onMn, String... names) throws InterruptedException {
        for (String name : names) {
            onMn.run(Command.of("rm", "-rf", "--", "/opt/xcat/standin/db/osimage/" + name,
                    "/install/netboot/rhels8.8.0/" + ARCH + "/" + name));
        }
    }

    /** The system client's command line for {@code host} ("xcatmn" or "builder") with the testbed's config. */
    List<String> ssh(String host, String... command) {
        List<String> argv = new ArrayList<>(List.of("ssh", "-n", "-F", sshConfig(), host));
        argv.addAll(List.of(command));
        return argv;
    }

    /** The testbed's ssh_config for the system client. */
    String sshConfig() {
        return get("TESTBED_SSH_CONFIG");
    }

    /** {@code sh -c script bench args...}: a script run by the host's shell, with positional arguments. */
    static Command sh(String script, String... args) {
        return Command.builder().addArgs("sh", "-c", script, "bench").addArgs(args).build();
    }
}

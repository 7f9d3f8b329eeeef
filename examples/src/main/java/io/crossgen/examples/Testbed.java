package io.crossgen.examples;

import io.crossgen.build.CopyDefinition;
import io.crossgen.build.CrossBuild;
import io.crossgen.build.Mount;
import io.crossgen.command.Command;
import io.crossgen.image.OsImage;
import io.crossgen.transport.Exec;
import io.crossgen.transport.Host;
import io.crossgen.transport.Transports;
import io.crossgen.transport.ssh.SshIdentity;
import io.crossgen.transport.ssh.SshSettings;
import io.crossgen.transport.ssh.SshTransportProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The testbed of {@code testbed/up}, for the end-to-end tests and the benchmarks: two real OpenSSH hosts, xcatmn
 * (10.77.0.1) and builder (10.77.0.2), in network namespaces, seeded with xCAT stand-ins, read from
 * {@code $TESTBED_DIR/testbed.env} ({@code /tmp/testbed} by default).
 *
 * <p>It gives the hosts as {@link Host}s, SSH transports that trust exactly their host keys and log in with the
 * controller's key, the hosts' files as seen from this machine, and a cross build of a stand-in image.
 */
public final class Testbed {
    /** The architecture the stand-in images are defined for: this machine's. */
    public static final String ARCH = System.getProperty("os.arch").equals("amd64") ? "x86_64"
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
                .toBuilder().sshConfig(null).build();
        this.transports = Transports.discover().with(new SshTransportProvider(ssh));
    }

    /**
     * Starts the testbed with {@code testbed/up} of the checkout this runs in (idempotent: a healthy testbed is
     * left as it is), then reads it. Needs root.
     */
    public static Testbed up() throws IOException, InterruptedException {
        Path root = projectRoot();
        run(List.of(root.resolve("testbed/up").toString()));
        return read();
    }

    /** Reads the testbed that {@code testbed/up} started. */
    public static Testbed read() throws IOException {
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
            throw new IllegalStateException("no " + file + ": start the testbed with testbed/up", e);
        }
        return new Testbed(env);
    }

    /** A value of testbed.env, e.g. {@code TESTBED_KNOWN_HOSTS}. */
    public String get(String key) {
        String value = env.get(key);
        if (value == null) {
            throw new IllegalStateException("testbed.env has no " + key);
        }
        return value;
    }

    public Host mn() {
        return Host.parse("ssh://root@" + get("TESTBED_MN"));
    }

    public Host builder() {
        return Host.parse("ssh://root@" + get("TESTBED_BUILDER"));
    }

    /** The local transport and an SSH transport for the testbed's hosts. */
    public Transports transports() {
        return transports;
    }

    /** The stand-in osimage of a profile: {@code rhels8.8.0-ARCH-netboot-PROFILE}. */
    public static String sourceImage(String profile) {
        return "rhels8.8.0-" + ARCH + "-netboot-" + profile;
    }

    /** Where the stand-in images' rootimgdirs live: {@code /install/netboot/rhels8.8.0/ARCH/}. */
    public static String netboot() {
        return "/install/netboot/rhels8.8.0/" + ARCH + "/";
    }

    /** A cross build of the stand-in osimage of {@code profile} into {@code target}, MN to builder over SSH. */
    public CrossBuild build(String profile, String target) {
        return buildFrom(sourceImage(profile), target).build();
    }

    /**
     * The builder of a cross build of the MN's osimage {@code source} into {@code target}, as {@link #build}: a
     * new image left by an earlier test is replaced.
     */
    public CrossBuild.Builder buildFrom(String source, String target) {
        return on(CrossBuild.from(source), source, target);
    }

    /** {@link #buildFrom(String, String)} planned from the source's definition known beforehand. */
    public CrossBuild.Builder buildFrom(OsImage source, String target) {
        return on(CrossBuild.from(source), source.name(), target);
    }

    private CrossBuild.Builder on(CrossBuild.Builder build, String source, String target) {
        return build.as(target)
                .managementNode(mn().toString())
                .builderReachesManagementNodeAs("xcatmn")
                .builderNode(builder().toString())
                .mount(Mount.nfs())
                .step(CopyDefinition.of(source, target).withReplace(true))
                .transports(transports);
    }

    /** Removes the osimages of {@code names} and their rootimgdirs from the MN. */
    public void forget(Exec onMn, String... names) throws InterruptedException {
        for (String name : names) {
            onMn.run(Command.of("rm", "-rf", "--", "/opt/xcat/standin/db/osimage/" + name, netboot() + name));
        }
    }

    /** A file of the MN, seen from this machine. */
    public Path mnFile(String absolute) {
        return hostFile("TESTBED_MN_FS", absolute);
    }

    /** A file of the builder, seen from this machine. */
    public Path builderFile(String absolute) {
        return hostFile("TESTBED_BUILDER_FS", absolute);
    }

    private Path hostFile(String fsKey, String absolute) {
        Path fs = Path.of(get(fsKey));
        if (absolute.startsWith("/opt/xcat/")) {
            return fs.resolve("opt-xcat").resolve(absolute.substring("/opt/xcat/".length()));
        }
        return fs.resolve(absolute.substring(1));
    }

    /** The testbed's ssh_config for the system client. */
    public String sshConfig() {
        return get("TESTBED_SSH_CONFIG");
    }

    /** The system client's argv for running {@code command} on {@code host} ("xcatmn" or "builder"). */
    public List<String> sshArgv(String host, String... command) {
        List<String> argv = new ArrayList<>(List.of("ssh", "-n", "-F", sshConfig(), host));
        argv.addAll(List.of(command));
        return argv;
    }

    /** Runs {@code command} on {@code host} with the system client; its output lines, or an exception. */
    public List<String> ssh(String host, String command) throws IOException, InterruptedException {
        return run(sshArgv(host, command));
    }

    /**
     * Drops every SSH session into {@code host} the way a network blip would: the host's sshd session processes
     * ("sshd: root@notty" and their "[priv]" monitors) are killed; the listening sshd and what the sessions
     * started in sessions of their own live on.
     *
     * @return how many processes were killed
     */
    public int dropSessions(String host) throws IOException, InterruptedException {
        int killed = 0;
        for (String pid : run(List.of("ip", "netns", "pids", "xt-" + host))) {
            String cmd;
            try {
                cmd = new String(Files.readAllBytes(Path.of("/proc", pid.strip(), "cmdline")), StandardCharsets.UTF_8)
                        .replace('\0', ' ').strip();
            } catch (IOException gone) {
                continue;
            }
            if (cmd.startsWith("sshd: root@notty") || cmd.startsWith("sshd: root [priv]")) {
                new ProcessBuilder("kill", "-KILL", pid.strip()).start().waitFor();
                killed++;
            }
        }
        return killed;
    }

    /** The checkout this runs in: the first folder upwards that holds {@code testbed/up}. */
    public static Path projectRoot() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("testbed/up"))) {
                return p;
            }
        }
        throw new IllegalStateException("no testbed/up above " + here);
    }

    private static List<String> run(List<String> argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(argv + " did not end within 120 s");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(argv + " failed with exit " + p.exitValue() + ":\n" + out);
        }
        return new ArrayList<>(out.lines().toList());
    }
}

package io.crossgen.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class HostTest {

    @Test
    void localParsesToThisMachine() {
        Host h = Host.parse("local:");
        assertEquals("local", h.scheme());
        assertEquals("localhost", h.hostname());
        assertEquals(Optional.empty(), h.user());
        assertEquals(OptionalInt.empty(), h.port());
        assertFalse(h.sudo());
        assertEquals("local", h.label());
        assertEquals("local:", h.toString());
        assertEquals(Host.local(), h);
    }

    @Test
    void sshUriGivesUserHostAndPort() {
        Host h = Host.parse("ssh://root@p9node01:2222");
        assertEquals("ssh", h.scheme());
        assertEquals(Optional.of("root"), h.user());
        assertEquals("p9node01", h.hostname());
        assertEquals(OptionalInt.of(2222), h.port());
        assertEquals("root@p9node01:2222", h.label());
        assertEquals("ssh://root@p9node01:2222", h.toString());
    }

    @Test
    void sudoOptionIsReadAndKeptInTheUri() {
        Host h = Host.parse("ssh://admin@node01?sudo=true");
        assertTrue(h.sudo());
        assertEquals(Map.of("sudo", "true"), h.options());
        assertEquals("ssh://admin@node01?sudo=true", h.toString());
        assertTrue(Host.parse("local:?sudo").sudo());
        assertFalse(Host.parse("ssh://node01?sudo=false").sudo());
        assertEquals(Host.parse("local:?sudo=true"), Host.local().withOption("sudo", "true"));
    }

    @Test
    void ipv6AddressLosesItsBracketsInHostnameButKeepsThemInTheUri() {
        Host h = Host.parse("ssh://[::1]:2222");
        assertEquals("::1", h.hostname());
        assertEquals(OptionalInt.of(2222), h.port());
        assertEquals("[::1]:2222", h.label());
        assertEquals("ssh://[::1]:2222", h.toString());
        assertEquals(h, Host.parse(h.toString()));
        assertEquals("fe80::1%eth0", Host.parse("ssh://root@[fe80::1%eth0]").hostname());
    }

    @Test
    void hostNameWithUnderscoreIsAccepted() {
        assertEquals("node_01", Host.parse("ssh://node_01").hostname());
    }

    @Test
    void equalHostsAreEqualWhateverTheirOptionOrder() {
        Host a = Host.parse("ssh://root@node01:22?sudo=true&x=1");
        Host b = Host.parse("  ssh://root@node01:22?x=1&sudo=true ");
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, Host.parse("ssh://root@node01:2222?sudo=true&x=1"));
        assertNotEquals(Host.parse("ssh://node01"), Host.parse("ssh://root@node01"));
    }

    @Test
    void toStringRoundTripsThroughParse() {
        for (String uri : new String[] {"local:", "local:?sudo=true", "ssh://node01", "ssh://a%40b@node01:22",
            "ssh://root@10.0.0.1?sudo=true&key=%2Froot%2F.ssh%2Fid%20rsa"}) {
            Host h = Host.parse(uri);
            assertEquals(h, Host.parse(h.toString()), uri);
        }
        assertEquals("/root/.ssh/id rsa",
                Host.parse("ssh://n?key=%2Froot%2F.ssh%2Fid%20rsa").option("key").orElseThrow());
    }

    @Test
    void passwordIsRefusedAndNeverShown() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Host.parse("ssh://root:s3cret@node01"));
        assertEquals("invalid host URI 'ssh://root:***@node01': a password does not belong in a host URI; use a key"
                + " or an agent", e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"));
    }

    @Test
    void anyErrorOfAUriWithAPasswordHidesThePassword() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Host.parse("ssh://root:s3cret@node01:99999"));
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "node01|no scheme; write local: or ssh://[user@]host[:port]",
        "SSH://node01|the scheme must be lower case (SSH)",
        "ssh:|no host name; write ssh://[user@]host[:port]",
        "ssh://|no host name",
        "ssh://root@|no host name",
        "ssh://@node01|an empty user name before '@'",
        "ssh://node01:|an empty port after ':'",
        "ssh://node01:0|port 0 is outside 1..65535",
        "ssh://node01:65536|port 65536 is outside 1..65535",
        "ssh://node01:ab|port 'ab' is not a number",
        "ssh://node01/tmp|a host URI has no path (/tmp)",
        "ssh://node01#frag|a host URI has no fragment",
        "ssh://node 01|'node 01' is not a host name or address",
        "ssh://[::1|an IPv6 address without its closing ']'",
        "ssh://[::1]x|unexpected 'x' after the IPv6 address",
        "ssh://[zz]|'zz' is not an IPv6 address",
        "ssh:/node01|write ssh://host, with two slashes",
        "ssh://node01?sudo=yes|option sudo must be true or false, not 'yes'",
        "ssh://node01?a=1&a=2|option 'a' is given twice",
        "ssh://node01?=1|option name '' is not a word",
        "ssh://node01?a=%zz|bad %-escape in '%zz'",
    })
    void malformedUrisAreRefusedWithAReason(String uri, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Host.parse(uri));
        assertEquals("invalid host URI '" + uri + "': " + reason, e.getMessage());
    }

    @Test
    void toStringNeverHoldsASecretEvenFromOptions() {
        Host h = Host.parse("ssh://root@node01?sudo=true");
        assertEquals("ssh://root@node01?sudo=true", h.toString());
        assertFalse(h.toString().contains(":***"));
    }

    @ParameterizedTest
    @CsvSource({"xcatmn", "xcatmn.cluster.example", "10.77.0.1", "fe80::1", "[fe80::1]", "fe80::1%eth0"})
    void aNameOneHostReachesAnotherByIsAHostNameOrAnAddress(String name) {
        assertEquals(name, Host.checkName(name));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"node 01", "xcatmn;reboot", "-oProxyCommand=x", "xcatmn.", "[xcatmn]", "''"})
    void anythingElseIsRefusedByName(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Host.checkName(name));
        assertEquals("'" + name + "' is not a host name or address", e.getMessage());
    }
}

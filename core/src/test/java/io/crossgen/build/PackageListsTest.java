package io.crossgen.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class PackageListsTest {

    @Test
    void includeDirectivesAreFound() {
        String list = "bash\n#INCLUDE:/install/custom/base.pkglist#\n  #INCLUDE:../common/${SITE}.pkglist#\n"
                + "# a comment\n#NEW_INSTALL_LIST#\nvim #INCLUDE:not-a-directive#\n";
        assertEquals(List.of("/install/custom/base.pkglist", "../common/${SITE}.pkglist"),
                PackageLists.includes(list));
    }

    @Test
    void relativeIncludesResolveAgainstTheTopLevelListsFolder() {
        Set<String> unknown = new TreeSet<>();
        Map<String, String> env = PackageLists.environment(Optional.of("SITE=lab,GITREPO=/srv/git"));
        assertEquals("/opt/custom/common/lab.pkglist",
                PackageLists.resolve("../common/${SITE}.pkglist", "/opt/custom/lists", env, unknown));
        assertEquals("/srv/git/pkglist/x.pkglist", PackageLists.resolve("$GITREPO/pkglist/x.pkglist", "/a", env,
                unknown));
        assertEquals("/a/$NOPE/y", PackageLists.resolve("$NOPE/y", "/a", env, unknown));
        assertEquals(Set.of("NOPE"), unknown);
    }

    @Test
    void readOutputIsSplitPerFile() {
        String out = "\n#crossgen-file /a\nbash\n#INCLUDE:b#\n\n#crossgen-file /b\n#crossgen-missing\n"
                + "\n#crossgen-file /c\nvim";
        Map<String, Optional<String>> expected = new LinkedHashMap<>();
        expected.put("/a", Optional.of("bash\n#INCLUDE:b#\n"));
        expected.put("/b", Optional.empty());
        expected.put("/c", Optional.of("vim\n"));
        assertEquals(expected, PackageLists.parseRead(out));
    }
}

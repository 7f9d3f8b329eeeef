// The cross build of the bundled sample, planned from JShell. From the repository root, after ./crossgen once:
//   jshell --class-path "examples/target/crossgen-examples.jar:examples/target/lib/*" examples/jshell/plan.jsh
// (JShell ends a snippet at the end of a complete line: continued calls keep their dot at the line's end.)
import io.crossgen.build.*;
import io.crossgen.image.*;
import io.crossgen.pipeline.*;
import java.nio.file.Path;

OsImage source = StanzaCodec.read(Path.of("examples/src/main/resources/samples/rhels8.8.0-ppc64le-netboot-compute.stanza")).get(0);
CrossBuild build = CrossBuild.from(source).as("mycomputeimage").
        managementNode("local:").
        builderReachesManagementNodeAs("xcatmn").
        builderNode("ssh://root@p9node01").
        mount(Mount.nfs()).
        build();
System.out.println(build);
System.out.println(build.pipeline());
build.plan().print(System.out);
/exit

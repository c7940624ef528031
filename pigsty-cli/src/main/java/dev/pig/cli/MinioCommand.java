package dev.pig.cli;

import java.util.Set;

import dev.pig.modules.Selection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pig minio add|rm SELECTOR}: Pigsty's {@code minio.yml} and {@code minio-rm.yml} for the
 * members a selector names (a host, a group or a cluster, comma-separated, like {@code -l}).
 * Removal is refused under {@code minio_safeguard}, before any host is asked.
 */
@Command(name = "minio", description = "Deploy S3 object storage (MINIO module) on members, or remove it from them.",
        subcommands = {MinioCommand.Add.class, MinioCommand.Rm.class})
public final class MinioCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The MINIO module on the members a selector names; giving {@code -l} too would leave one of them silently unused. */
    abstract static class OnMembers extends HostsCommand {
        @Mixin
        ApplyOptions apply;
        @Parameters(index = "0", paramLabel = "SELECTOR", description = "Hosts, groups or clusters, comma-separated.")
        String selector;

        Selection members() {
            run.refuseLimit("give the members as SELECTOR or with -l, not both");
            return run.selection().withLimit(selector).withModules(Set.of("minio"));
        }
    }

    /** {@code pig minio add SELECTOR}: plan and apply the MINIO module on those members. */
    @Command(name = "add", description = "Plan and apply the MINIO module on the selected members.")
    static final class Add extends OnMembers {
        @Override
        public Integer call() {
            Selection sel = members();
            return workflow().apply(inventory.load(), Request.deploy(sel), apply.policy());
        }
    }

    /**
     * {@code pig minio rm SELECTOR}: stops the server and removes its configuration; with
     * {@code minio_rm_data} its data, with {@code minio_rm_pkg} MinIO's packages. Refused when
     * {@code minio_safeguard} is set for a selected member.
     */
    @Command(name = "rm", description = "Stop the S3 server on the selected members and remove it (data with minio_rm_data).")
    static final class Rm extends OnMembers {
        @Override
        public Integer call() {
            Selection sel = members();
            return workflow().apply(inventory.load(), Request.removal(sel), apply.policy());
        }
    }
}

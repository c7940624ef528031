package dev.pig.cli;


import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code pig deploy}: plan and apply every module the inventory uses, in Pigsty's order. Groups
 * of modules pig does not deploy yet (infra, redis) are validated, then skipped with a
 * warning.
 */
@Command(name = "deploy", description = {
        "Plan and apply every module of the inventory, in Pigsty's order: node, etcd, minio, pgsql.",
        "Groups of the infra and redis modules are validated, then skipped with a warning: pig does not deploy them yet."})
public final class DeployCommand extends HostsCommand {
    @Mixin
    ApplyOptions apply;

    @Override
    public Integer call() {
        return workflow().apply(inventory.load(), Request.deploy(run.selection()), apply.policy());
    }
}

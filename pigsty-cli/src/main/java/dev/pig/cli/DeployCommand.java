package dev.pig.cli;


import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code pig deploy}: plan and apply every module the inventory uses, in Pigsty's order. Groups
 * of modules pig does not deploy yet (minio) are validated, then skipped with a warning.
 */
@Command(name = "deploy", description = {
        "Plan and apply every module of the inventory, in Pigsty's order: node, infra, etcd, pgsql, redis.",
        "Groups of the minio module are validated, then skipped with a warning: pig does not deploy it yet."})
public final class DeployCommand extends HostsCommand {
    @Mixin
    ApplyOptions apply;

    @Override
    public Integer call() {
        return workflow().apply(inventory.load(), Request.deploy(run.selection()), apply.policy());
    }
}

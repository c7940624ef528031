package dev.pig.cli;


import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code pig deploy}: plan and apply every module the inventory uses, in Pigsty's order. Groups
 * of modules pig does not deploy yet are validated, then skipped with a warning; pig deploys
 * all of Pigsty's infra, node, etcd, minio, pgsql and redis.
 */
@Command(name = "deploy", description = {
        "Plan and apply every module of the inventory, in Pigsty's order: node, infra, etcd, minio, pgsql, redis.",
        "Groups of modules pig does not deploy (docker, kafka, mysql ...) are validated, then skipped with a warning."})
public final class DeployCommand extends HostsCommand {
    @Mixin
    ApplyOptions apply;

    @Override
    public Integer call() {
        return workflow().apply(inventory.load(), Request.deploy(run.selection()), apply.policy());
    }
}

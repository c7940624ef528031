package dev.pig.core.task;

/**
 * A task placed in a named stage. Apply runs one stage on every host that has it before the next
 * stage, so "start every etcd member" happens together and "bootstrap the primary" finishes
 * before "start the replicas". Stages sort as strings: modules prefix them with their order,
 * like {@code 30.05 etcd launch}.
 *
 * <p>A <em>local</em> stage needs nothing from any other host, only what the same host's earlier
 * stages did (a package install, a user, directories, a certificate pig signs): a host may run it
 * as soon as its own earlier stages are done, while other hosts are still in earlier stages, so
 * the PostgreSQL nodes install their packages while the infra node starts etcd. The next stage
 * that is not local still waits for every host.
 *
 * @param local whether the stage may run ahead of the other hosts' earlier stages
 */
public record Staged(String stage, Task task, boolean local) implements Wrapper {

    public static Staged of(String stage, Task task) {
        return new Staged(stage, task, false);
    }

    /** A task of a local stage: see the class comment. */
    public static Staged local(String stage, Task task) {
        return new Staged(stage, task, true);
    }

    @Override
    public Task inner() {
        return task;
    }
}

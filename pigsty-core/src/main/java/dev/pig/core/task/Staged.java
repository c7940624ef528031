package dev.pig.core.task;

/**
 * A task placed in a named stage. Apply runs one stage on every host that has it before the next
 * stage, so "start every etcd member" happens together and "bootstrap the primary" finishes
 * before "start the replicas". Stages sort as strings: modules prefix them with their order,
 * like {@code 30.05 etcd launch}.
 */
public record Staged(String stage, Task task) implements Wrapper {

    public static Staged of(String stage, Task task) {
        return new Staged(stage, task);
    }

    @Override
    public Task inner() {
        return task;
    }
}

package dev.pig.modules.redis;

import dev.pig.core.task.Staged;
import dev.pig.core.task.Task;

/**
 * The stages of the REDIS module, {@code 60.NN redis <name>}: they sort after PGSQL (50), and
 * within the module in the order of {@link RedisModule}'s stage list. A removal uses the same
 * numbering.
 */
final class Stage {
    static final String MODULE = "redis";
    static final int ORDER = 60;

    private Stage() {
    }

    static Staged of(int n, String name, Task task) {
        return Staged.of(String.format("%02d.%02d %s %s", ORDER, n, MODULE, name), task);
    }
}

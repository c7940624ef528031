package dev.pig.modules.infra;

import dev.pig.core.task.Staged;
import dev.pig.core.task.Task;

/**
 * The stages of the INFRA module, {@code 25.NN infra <name>}: after NODE (20), whose package
 * sources and proxy the infra packages come through, and before ETCD (30), as Pigsty's
 * {@code deploy.yml} runs its infra role after the node role.
 */
final class Stage {
    static final String MODULE = "infra";
    static final int ORDER = 25;

    private Stage() {
    }

    static Staged of(int n, String name, Task task) {
        return Staged.of(String.format("%02d.%02d %s %s", ORDER, n, MODULE, name), task);
    }
}

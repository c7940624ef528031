package dev.pig.modules.redis;

import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.RedisCluster;
import dev.pig.core.task.BaseTask;

/**
 * A task about one Redis instance or sentinel of a node, planned from what the node's live probe
 * ({@link RedisLive}) saw of it: its password, masterauth, settings, monitors, restart, or the
 * wait for it to answer.
 */
abstract class InstanceTask extends BaseTask {
    protected final RedisHost h;
    protected final RedisCluster.Instance i;

    InstanceTask(String name, String tag, RedisHost h, RedisCluster.Instance i) {
        super(name, tag);
        this.h = h;
        this.i = i;
    }

    @Override
    public void require(FactRequest.Builder b) {
        b.sections(h.live().name());
    }

    /** What the live probe saw of this instance. */
    RedisLive.Instance state(HostFacts facts) {
        return h.state(facts, i);
    }
}

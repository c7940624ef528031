package dev.pig.core.model;

import java.util.List;
import java.util.Optional;

/**
 * A PostgreSQL cluster: an inventory group whose vars set {@code pg_cluster}.
 *
 * @param hbaRules    {@code pg_default_hba_rules} then {@code pg_hba_rules}
 * @param pgbHbaRules {@code pgb_default_hba_rules} then {@code pgb_hba_rules}, for PgBouncer
 */
public record PgCluster(String name, String group, int version, List<PgInstance> instances, List<PgUser> users,
                        List<PgDatabase> databases, List<HbaRule> hbaRules, List<HbaRule> pgbHbaRules,
                        List<PgService> services, Optional<String> vipAddress) {

    /** The instance the inventory names primary; after a failover the live leader may be another, which plans follow. */
    public Optional<PgInstance> primary() {
        return instances.stream().filter(i -> i.role() == PgRole.PRIMARY).findFirst();
    }

    public Optional<PgInstance> instance(String ip) {
        return instances.stream().filter(i -> i.ip().equals(ip)).findFirst();
    }
}

package dev.pig.modules;

import java.util.List;

import dev.pig.core.model.Node;

/**
 * A module whose instances the infra nodes watch. Each instance declares, from the model alone,
 * the exporters VictoriaMetrics scrapes, the addresses the blackbox exporter probes and the names
 * dnsmasq answers ({@link Registration}); the module that keeps them ({@link Registrar}, INFRA)
 * writes them on every infra node when the instance is deployed and deletes them when it is
 * removed, whichever command does it ({@code pig deploy}, {@code pig pgsql add}, {@code pig node rm}).
 *
 * <pre>
 * /infra/targets/node/10.10.10.11.yml        node_exporter of pg-test-1's node
 * /infra/targets/pgsql/pg-test-1.yml         PostgreSQL's exporter
 * /etc/hosts.d/pg-test                       pg-test -> its VIP
 * </pre>
 */
public interface Registered extends PigModule {

    /** Pigsty's tag for the registration of this module's instances: {@code pg_register}. */
    String registerTag();

    /** What the module's instance on {@code node} publishes; empty when it runs nothing there. */
    List<Registration> registrations(ModuleContext ctx, Node node);
}

package dev.pig.modules.pgsql;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.pig.core.diag.PigException;
import dev.pig.core.fact.FactSection;
import dev.pig.core.model.PgCluster;
import dev.pig.core.model.PgInstance;
import dev.pig.core.task.Deferred;
import dev.pig.core.task.Task;
import dev.pig.modules.HostVars;
import dev.pig.modules.Keepalived;
import dev.pig.modules.ModuleContext;

/**
 * An L2 virtual IP that follows the cluster's leader ({@code pg_vip_enabled}): keepalived on
 * every member holds the address while that member's Patroni answers {@code /primary}, which
 * only the holder of the leader key in etcd does.
 *
 * <pre>
 * pg_vip_enabled: true
 * pg_vip_address: 10.10.10.3/24
 * pg_vip_interface: eth0          # or auto: the interface that carries the instance's IP
 * </pre>
 *
 * Pigsty uses vip-manager on the leader key itself; the vip-manager of Debian 12 (1.0) reads
 * only etcd's v2 API, which Patroni's etcd3 client does not write, so it would never see a
 * leader. keepalived tracks the same leadership through Patroni and speaks VRRP by unicast to
 * the other members; the VRRP router id is the last octet of the VIP, unique on its subnet.
 */
final class Vip {
    static final String UNIT = Keepalived.UNIT;

    private Vip() {
    }

    static List<Task> tasks(PgNode n) {
        ModuleContext ctx = n.ctx();
        PgCluster cluster = n.cluster();
        PgInstance me = n.me();
        HostVars v = n.v();
        String vip = cluster.vipAddress().orElseThrow();
        String address = vip.substring(0, vip.indexOf('/'));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pg_instance", me.name());
        m.put("pg_cluster", cluster.name());
        m.put("script", cluster.name().replace('-', '_') + "_primary");
        m.put("vip_address", address);
        m.put("vip_netmask", Integer.parseInt(vip.substring(vip.indexOf('/') + 1)));
        m.put("router_id", Integer.parseInt(address.substring(address.lastIndexOf('.') + 1)));
        m.put("patroni_port", v.integer("patroni_port"));
        m.put("patroni_ssl_enabled", v.bool("patroni_ssl_enabled"));
        m.put("instance_ip", me.ip());
        m.put("peers", cluster.instances().stream().map(PgInstance::ip).filter(ip -> !ip.equals(me.ip())).toList());
        // VRRP carries 8 characters of a password (keepalived would cut it and warn)
        String pass = v.secret("pg_vip_auth_pass").reveal();
        m.put("auth_pass", pass.substring(0, Math.min(8, pass.length())));
        // a word of keepalived.conf: validation allows only what Linux allows in an interface name
        String iface = v.str("pg_vip_interface");
        NetInterfaces section = NetInterfaces.SECTION;
        String conf = conf(cluster);
        Task file = new Deferred("file " + conf, "pg_vip", b -> b.fileWithContent(conf).sections(section.name()), (facts, pctx) -> {
            Map<String, Object> data = new LinkedHashMap<>(m);
            data.put("pg_vip_interface", iface.equals("auto") ? NetInterfaces.carrying(facts.extra(section), me.ip(), facts.host()) : iface);
            // root's alone, and no diff shown once it holds a password
            return ctx.file(conf, "pgsql/keepalived.conf.ftl", data, "0600", "root", "root", "pg_vip", !pass.isEmpty());
        });
        return Keepalived.tasks(ctx, ctx.model().node(me.ip()).orElseThrow(), conf, file, "pg_vip");
    }

    /** The cluster's VRRP instance, a file of its own that keepalived.conf includes. */
    static String conf(PgCluster cluster) {
        return Keepalived.CONF_D + "/pgsql-" + cluster.name() + ".conf";
    }

    /** The host's IPv4 addresses by interface, from {@code ip -o -4 addr}. */
    static final class NetInterfaces implements FactSection<Map<String, String>> {
        static final NetInterfaces SECTION = new NetInterfaces();

        @Override
        public String name() {
            return "pgsql.interfaces";
        }

        @Override
        public String script() {
            return "ip -o -4 addr show 2>/dev/null; true\n";
        }

        /** The VIP itself comes and goes with the leader. */
        @Override
        public boolean isVolatile() {
            return true;
        }

        /** Address (without prefix) to interface. */
        @Override
        public Map<String, String> parse(String output) {
            Map<String, String> out = new LinkedHashMap<>();
            for (String line : output.split("\n")) {
                String[] f = line.trim().split("\\s+");
                // 51: eth0    inet 10.10.10.11/24 brd ... scope global eth0
                if (f.length >= 4 && f[2].equals("inet")) {
                    out.put(f[3].replaceFirst("/.*", ""), f[1].replaceFirst("@.*", ""));
                }
            }
            return Map.copyOf(out);
        }

        /** The interface that carries {@code ip}; an error naming the host when none does. */
        static String carrying(Map<String, String> addresses, String ip, String host) {
            String iface = addresses.get(ip);
            if (iface == null) {
                throw new PigException(PigException.Kind.FAILED, host + ": no interface carries " + ip
                        + " for pg_vip_interface: auto; set pg_vip_interface to the interface the VIP belongs on");
            }
            return iface;
        }
    }
}

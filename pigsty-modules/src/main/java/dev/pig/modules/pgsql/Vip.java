package dev.pig.modules.pgsql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.pig.core.diag.PigException;
import dev.pig.core.fact.FactSection;
import dev.pig.core.model.EtcdCluster;
import dev.pig.core.model.PgCluster;
import dev.pig.core.model.PgInstance;
import dev.pig.core.task.Deferred;
import dev.pig.core.task.Task;
import dev.pig.core.task.UnitTask;
import dev.pig.modules.HostVars;
import dev.pig.modules.ModuleContext;

/**
 * An L2 virtual IP that follows the cluster's leader ({@code pg_vip_enabled}): vip-manager on
 * every member watches the leader key Patroni keeps in etcd and holds the address while that key
 * names its own instance.
 *
 * <pre>
 * pg_vip_enabled: true
 * pg_vip_address: 10.10.10.3/24
 * pg_vip_interface: eth0          # or auto: the interface that carries the instance's IP
 * </pre>
 */
final class Vip {
    static final String CONF = "/etc/default/vip-manager.yml";
    static final String UNIT_FILE = "/etc/systemd/system/vip-manager.service";
    static final String UNIT = "vip-manager.service";

    private Vip() {
    }

    static List<Task> tasks(ModuleContext ctx, PgCluster cluster, PgInstance me, HostVars v) {
        List<Task> out = new ArrayList<>();
        String vip = cluster.vipAddress().orElseThrow();
        EtcdCluster etcd = ctx.model().etcd().orElseThrow(() -> new PigException(PigException.Kind.USAGE,
                "pg_vip_enabled needs the etcd cluster the leader key is kept in"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", me.name());
        m.put("cluster", cluster.name());
        m.put("ip", vip.substring(0, vip.indexOf('/')));
        m.put("netmask", Integer.parseInt(vip.substring(vip.indexOf('/') + 1)));
        String ns = v.str("pg_namespace").endsWith("/") ? v.str("pg_namespace") : v.str("pg_namespace") + "/";
        m.put("key", ns + cluster.name() + "/leader");
        m.put("value", me.name());
        m.put("endpoints", String.join(",", etcd.members().stream().map(x -> "http://" + x.ip() + ":" + x.port()).toList()));
        m.put("user", cluster.name());
        m.put("password", PgsqlModule.etcdPassword(v, cluster));
        String iface = v.str("pg_vip_interface");
        NetInterfaces section = NetInterfaces.SECTION;
        out.add(new Deferred("file " + CONF, "pg_vip", b -> b.files(CONF).sections(section.name()), (facts, pctx) -> {
            Map<String, Object> data = new LinkedHashMap<>(m);
            data.put("interface", iface.equals("auto") ? NetInterfaces.carrying(facts.extra(section), me.ip(), facts.host()) : iface);
            return ctx.file(CONF, "pgsql/vip-manager.yml.ftl", data, "0600", "root", "root", "pg_vip", true);
        }));
        out.add(ctx.file(UNIT_FILE, "pgsql/vip-manager.service.ftl", Map.of("name", me.name(), "cluster", cluster.name(),
                "config", CONF), "0644", "root", "root", "pg_vip", false));
        out.add(new UnitTask(UNIT, true, true, List.of(CONF, UNIT_FILE), List.of(), "pg_vip"));
        return out;
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

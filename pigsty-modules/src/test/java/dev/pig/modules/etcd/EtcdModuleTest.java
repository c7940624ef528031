package dev.pig.modules.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.pig.core.model.Secret;

import org.junit.jupiter.api.Test;

import dev.pig.core.model.ClusterModel;
import dev.pig.core.model.Node;
import dev.pig.core.task.FileTask;
import dev.pig.core.task.Staged;
import dev.pig.modules.Golden;
import dev.pig.modules.ModuleContext;
import dev.pig.modules.PlanningFixture;

class EtcdModuleTest {
    private final EtcdModule etcd = new EtcdModule();
    private final PlanningFixture fixture = PlanningFixture.of(etcd, "inventory-examples/trio.yml");
    private final ClusterModel trio = fixture.model();
    private final ModuleContext ctx = fixture.ctx();

    private String rendered(String host, String path) {
        Node n = trio.node(host).orElseThrow();
        for (Staged s : etcd.tasks(ctx, n)) {
            if (s.task() instanceof FileTask f && f.path().equals(path)) {
                return new String(f.content(), StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError(path + " not among the tasks of " + host);
    }

    @Test
    void the_unit_file_matches_its_golden_copy() {
        Golden.check("etcd/golden/etcd.service", rendered("10.10.10.11", EtcdModule.UNIT));
    }

    @Test
    void the_config_matches_its_golden_copy() {
        Golden.check("etcd/golden/etcd.conf", ctx.render("etcd/etcd.conf.ftl", config("etcd-2", "10.10.10.11", false)));
    }

    @Test
    void over_https_the_config_asks_clients_and_peers_for_certificates_of_the_ca() {
        String conf = ctx.render("etcd/etcd.conf.ftl", config("etcd-2", "10.10.10.11", true));
        assertTrue(conf.contains("\nlisten-client-urls: https://10.10.10.11:2379,https://127.0.0.1:2379\n"), conf);
        assertTrue(conf.contains("\nlisten-peer-urls: https://10.10.10.11:2380\n"), conf);
        assertFalse(conf.contains("http://"), conf);
        assertEquals(2, conf.split("client-cert-auth: true", -1).length - 1, conf);
        Golden.check("etcd/golden/etcd-tls.conf", conf);
    }

    @Test
    void a_member_on_127_0_0_1_listens_for_clients_once() {
        assertEquals(List.of("http://10.10.10.11:2379", "http://127.0.0.1:2379"), EtcdModule.clientUrls("10.10.10.11", 2379, "http"));
        assertEquals(List.of("https://127.0.0.1:2379"), EtcdModule.clientUrls("127.0.0.1", 2379, "https"));
        String conf = ctx.render("etcd/etcd.conf.ftl", config("etcd-1", "127.0.0.1", false));
        assertTrue(conf.contains("\nlisten-client-urls: http://127.0.0.1:2379\n"), conf);
        Golden.check("etcd/golden/etcd-local.conf", conf);
    }

    private java.util.Map<String, Object> config(String name, String ip, boolean tls) {
        Node n = trio.node("10.10.10.11").orElseThrow();
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("etcd_instance", name);
        m.put("etcd_cluster", "etcd");
        m.put("instance_ip", ip);
        m.put("etcd_port", 2379);
        m.put("etcd_peer_port", 2380);
        m.put("client_urls", EtcdModule.clientUrls(ip, 2379, tls ? "https" : "http"));
        m.put("etcd_tls", tls);
        m.put("scheme", tls ? "https" : "http");
        m.put("pki", EtcdModule.PKI);
        m.put("etcd_data", ctx.vars(n).str("etcd_data"));
        m.put("etcd_election_timeout", 1000);
        m.put("etcd_heartbeat_interval", 100);
        m.put("etcd_init", "new");
        m.put("etcd_members", ip.equals("127.0.0.1") ? List.of(java.util.Map.of("name", name, "ip", ip, "peer_port", 2380)) : List.of(
                java.util.Map.of("name", "etcd-1", "ip", "10.10.10.10", "peer_port", 2380),
                java.util.Map.of("name", "etcd-2", "ip", "10.10.10.11", "peer_port", 2380),
                java.util.Map.of("name", "etcd-3", "ip", "10.10.10.12", "peer_port", 2380)));
        return m;
    }

    @Test
    void every_member_gets_the_same_stages_but_its_own_restart_and_only_the_first_enables_auth() {
        List<String> first = etcd.tasks(ctx, trio.node("10.10.10.10").orElseThrow()).stream().map(Staged::stage).distinct().toList();
        List<String> second = etcd.tasks(ctx, trio.node("10.10.10.11").orElseThrow()).stream().map(Staged::stage).distinct().toList();
        assertEquals(List.of("30.01 etcd install", "30.02 etcd dirs", "30.03 etcd config", "30.04 etcd member", "30.05 etcd launch",
                "30.06 etcd restart 0001", "30.07 etcd health", "30.08 etcd auth"), first);
        assertEquals(List.of("30.01 etcd install", "30.02 etcd dirs", "30.03 etcd config", "30.04 etcd member", "30.05 etcd launch",
                "30.06 etcd restart 0002", "30.07 etcd health"), second);
    }

    @Test
    void restarts_follow_etcd_seq_and_each_member_has_a_stage_of_its_own() {
        List<String> restarts = trio.etcd().orElseThrow().members().stream()
                .flatMap(m -> etcd.tasks(ctx, trio.node(m.ip()).orElseThrow()).stream())
                .filter(s -> s.task() instanceof EtcdService.Restart).map(Staged::stage).toList();
        assertEquals(List.of("30.06 etcd restart 0001", "30.06 etcd restart 0002", "30.06 etcd restart 0003"), restarts);
        assertEquals(restarts, restarts.stream().sorted().toList());
    }

    @Test
    void a_restart_needs_a_majority_of_the_cluster_among_the_others_or_all_of_them_when_there_is_none() {
        assertEquals(0, new EtcdService.Restart("etcd-1", Etcdctl.local(2379, null), List.of(), new Secret("pw"), null, "", null).needed());
        assertEquals(1, new EtcdService.Restart("etcd-1", Etcdctl.local(2379, null), List.of("a"), new Secret("pw"), null, "", null).needed());
        assertEquals(2, new EtcdService.Restart("etcd-1", Etcdctl.local(2379, null), List.of("a", "b"), new Secret("pw"), null, "", null).needed());
        assertEquals(3, new EtcdService.Restart("etcd-1", Etcdctl.local(2379, null), List.of("a", "b", "c"), new Secret("pw"), null, "", null).needed());
        assertEquals(3, new EtcdService.Restart("etcd-1", Etcdctl.local(2379, null), List.of("a", "b", "c", "d"), new Secret("pw"), null, "", null).needed());
    }

    @Test
    void a_change_of_bootstrap_settings_alone_needs_no_restart() {
        String a = "name: etcd-1\ninitial-cluster: etcd-1=http://a:2380\ninitial-cluster-state: new\nheartbeat-interval: 100\n";
        String b = "name: etcd-1\ninitial-cluster: etcd-1=http://a:2380,etcd-2=http://b:2380\ninitial-cluster-state: existing\nheartbeat-interval: 100\n";
        String c = "name: etcd-1\ninitial-cluster: etcd-1=http://a:2380\ninitial-cluster-state: new\nheartbeat-interval: 200\n";
        assertEquals(EtcdModule.EtcdConfig.runtimePart(a), EtcdModule.EtcdConfig.runtimePart(b));
        assertFalse(EtcdModule.EtcdConfig.runtimePart(a).equals(EtcdModule.EtcdConfig.runtimePart(c)));
    }

    @Test
    void parses_the_member_list() {
        EtcdMembers.View v = new EtcdMembers("etcdctl").parse("""
                8e9e05c52164694d, started, etcd-1, http://10.10.10.10:2380, http://10.10.10.10:2379, false
                91bc3c398fb3c146, unstarted, , http://10.10.10.13:2380, , false
                """);
        assertTrue(v.answered());
        assertEquals(2, v.members().size());
        assertEquals("etcd-1", v.members().get(0).name());
        assertTrue(v.members().get(0).started());
        assertFalse(v.members().get(1).started());
        assertTrue(v.has("http://10.10.10.13:2380"));
        assertFalse(new EtcdMembers("etcdctl").parse("@@unanswered\n").answered());
        assertFalse(new EtcdMembers("etcdctl").parse("").answered());
        assertEquals("http://10.10.10.10:2379", v.members().get(0).clientUrl());
        assertEquals("", v.members().get(1).clientUrl());
    }
}

package dev.pig.modules.minio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import dev.pig.core.diag.PigException;
import dev.pig.core.exec.Planner;
import dev.pig.core.fact.FactGatherer;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.ClusterModel;
import dev.pig.core.model.ModelLoader;
import dev.pig.core.model.S3Names;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.HostPlan;
import dev.pig.core.plan.Masker;
import dev.pig.core.plan.Step;
import dev.pig.core.task.Task;
import dev.pig.core.template.Templates;
import dev.pig.modules.Golden;
import dev.pig.modules.ModuleContext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MINIO module of the sandbox example (S3Proxy on 10.10.10.10) and of a MinIO variant, planned
 * on a fresh Debian 12 host's recorded facts: the files it renders against golden copies, the
 * refusal where the node's sources lack MinIO, and the parsers of its facts.
 */
class MinioModuleTest {
    static final String NODE = "10.10.10.10";
    final MinioModule minio = new MinioModule();

    static ClusterModel load(List<String> extra) {
        return ModelLoader.load(Golden.root().resolve("inventory-examples/sandbox.yml"), extra).model();
    }

    HostPlan plan(ModuleContext c, String candidates) throws IOException {
        return plan(c, candidates, "");
    }

    HostPlan plan(ModuleContext c, String candidates, String fileLines) throws IOException {
        List<Task> tasks = new ArrayList<>(minio.tasks(c, c.model().node(NODE).orElseThrow()));
        String fresh = Files.readString(Golden.root().resolve("src-test-fixtures/node/facts/debian12-fresh.out"));
        StringBuilder out = new StringBuilder(fileLines.isEmpty() ? fresh : fresh.replace("@@pig:section files\n", "@@pig:section files\n" + fileLines));
        if (candidates != null) {
            out.append("@@pig:section ext:").append(PackageCandidates.NAME).append('\n')
                    .append(Files.readString(Golden.root().resolve("src-test-fixtures/minio/facts/" + candidates)));
        }
        HostFacts f = new FactGatherer(minio.factSections(c)).parse(NODE, Planner.request(tasks), out.toString());
        return Planner.planFromFacts(f, tasks, Masker.none(), Map.of(NODE, f));
    }

    static Map<String, String> uploads(HostPlan p) {
        Map<String, String> out = new TreeMap<>();
        for (Change ch : p.changes()) {
            if (ch instanceof Change.Act a) {
                for (Step s : a.steps()) {
                    if (s instanceof Step.Upload u) {
                        out.put(u.path(), new String(u.content(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return out;
    }

    static Change change(HostPlan p, String task) {
        return p.changes().stream().filter(c -> c.task().equals(task)).findFirst()
                .orElseThrow(() -> new AssertionError(task + " not in " + p.changes().stream().map(Change::task).toList()));
    }

    @Test
    void s3proxy_files_match_their_golden_copies() throws IOException {
        ModuleContext ctx = new ModuleContext(load(List.of()), Templates.builtIn());
        Map<String, String> files = uploads(plan(ctx, null));
        assertEquals(List.of("/etc/s3proxy/root.properties", "/etc/s3proxy/user-1.properties", "/etc/systemd/system/s3proxy.service"),
                List.copyOf(files.keySet()));
        files.forEach((path, content) -> Golden.check("minio/golden/s3proxy" + path.replace('/', '_'), content));
    }

    @Test
    void the_root_user_claims_no_bucket_and_each_user_the_bucket_of_its_policy() throws IOException {
        ModuleContext ctx = new ModuleContext(load(List.of()), Templates.builtIn());
        Map<String, String> files = uploads(plan(ctx, null));
        assertFalse(files.get("/etc/s3proxy/root.properties").contains("bucket-locator"));
        assertTrue(files.get("/etc/s3proxy/user-1.properties").contains("s3proxy.identity=pgbackrest\n"));
        assertTrue(files.get("/etc/s3proxy/user-1.properties").contains("s3proxy.bucket-locator.1=pgsql\n"));
    }

    @Test
    void identity_files_are_written_unreadable_to_others_and_never_diffed() throws IOException {
        ModuleContext ctx = new ModuleContext(load(List.of()), Templates.builtIn());
        Change.Act a = assertInstanceOf(Change.Act.class, change(plan(ctx, null), "file /etc/s3proxy/user-1.properties"));
        assertEquals("", a.diff(), "a file with a secret shows no diff");
        Step.Upload u = (Step.Upload) a.steps().get(0);
        assertEquals("0640", u.mode());
        assertEquals("minio", u.group());
    }

    @Test
    void minio_is_refused_at_plan_time_where_the_node_s_sources_lack_it() throws IOException {
        ModuleContext ctx = new ModuleContext(load(List.of("minio_server=minio")), Templates.builtIn());
        PigException e = assertThrows(PigException.class, () -> plan(ctx, "candidates-debian.out"));
        assertTrue(e.getMessage().contains("no package source of this node offers minio or mcli (Debian's archive does not carry MinIO)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("minio_server: s3proxy"), e.getMessage());
    }

    @Test
    void minio_files_match_their_golden_copies_where_the_sources_offer_it() throws IOException {
        ModuleContext ctx = new ModuleContext(load(List.of("minio_server=minio")), Templates.builtIn());
        HostPlan p = plan(ctx, "candidates-pigsty-repo.out");
        assertTrue(change(p, "packages minio") instanceof Change.Act a && a.summary().equals("install minio mcli"), p.changes().toString());
        Map<String, String> files = uploads(p);
        assertEquals(List.of("/etc/default/minio", "/etc/systemd/system/minio.service"), List.copyOf(files.keySet()));
        files.forEach((path, content) -> Golden.check("minio/golden/minio" + path.replace('/', '_'), content));
    }

    @Test
    void a_bucket_s_policy_goes_through_a_file_of_its_own_never_a_fixed_name_in_tmp() throws IOException {
        ModuleContext ctx = new ModuleContext(load(List.of("minio_server=minio")), Templates.builtIn());
        Change.Act bucket = assertInstanceOf(Change.Act.class, change(plan(ctx, "candidates-pigsty-repo.out"), "command bucket pgsql"));
        String cmd = ((Step.Exec) bucket.steps().get(0)).command();
        assertTrue(cmd.contains("pig_policy=$(mktemp)") && cmd.contains("> \"$pig_policy\"")
                && cmd.contains("mcli --insecure admin policy create pig pgsql \"$pig_policy\""), cmd);
        assertFalse(cmd.contains("/tmp/"), cmd);
    }

    @Test
    void a_minio_user_is_made_once_and_again_only_when_its_entry_changes() throws IOException {
        ModuleContext ctx = new ModuleContext(load(List.of("minio_server=minio")), Templates.builtIn());
        Change.Act first = assertInstanceOf(Change.Act.class, change(plan(ctx, "candidates-pigsty-repo.out"), "command user pgbackrest"));
        Step.Exec add = (Step.Exec) first.steps().get(0);
        assertFalse(add.command().contains("Sandbox.S3.Backup"), "the secret is on stdin only: " + add.command());
        String stamp = add.input().lines().reduce((a, b) -> b).orElseThrow() + "\n";
        String path = add.command().lines().filter(l -> l.contains("> /var/lib/pig/minio-users/")).findFirst().orElseThrow()
                .replaceAll(".*> ", "").replace(")", "").strip();
        String line = path + "\tfile\t600\troot\troot\t65\t" + Step.Hashes.sha256(stamp.getBytes(StandardCharsets.UTF_8)) + "\t\n";
        Change again = change(plan(ctx, "candidates-pigsty-repo.out", line), "command user pgbackrest");
        assertInstanceOf(Change.NoOp.class, again, "the same entry is not made twice: " + again);
        ModuleContext changed = new ModuleContext(load(List.of("minio_server=minio",
                "{\"minio_users\": [{\"access_key\": \"pgbackrest\", \"secret_key\": \"Another.S3.Secret\", \"policy\": \"pgsql\"}]}")),
                Templates.builtIn());
        assertInstanceOf(Change.Act.class, change(plan(changed, "candidates-pigsty-repo.out", line), "command user pgbackrest"));
    }

    @Test
    void package_candidates_are_read_from_apt_cache_policy() throws IOException {
        PackageCandidates c = new PackageCandidates();
        assertTrue(c.parse(Files.readString(Golden.root().resolve("src-test-fixtures/minio/facts/candidates-pigsty-repo.out"))).offers("minio"));
        PackageCandidates.View none = c.parse(Files.readString(Golden.root().resolve("src-test-fixtures/minio/facts/candidates-debian.out")));
        assertFalse(none.offers("minio"));
        assertFalse(c.parse("minio\t(none)\n").offers("minio"));
    }

    @Test
    void minio_data_drive_sets_expand_as_minio_reads_them() {
        assertEquals(List.of("/data/minio"), S3Layout.drives("/data/minio"));
        assertEquals(List.of("/data1/minio", "/data2/minio", "/data3/minio"), S3Layout.drives("/data{1...3}/minio"));
        assertEquals(List.of("/d1/m1", "/d1/m2", "/d2/m1", "/d2/m2"), S3Layout.drives("/d{1...2}/m{1...2}"));
    }

    @Test
    void bucket_names_follow_s3_s_rules() {
        for (String ok : List.of("pgsql", "meta", "data-2026", "a.b.c", "abc")) {
            assertEquals(java.util.Optional.empty(), S3Names.bucketProblem(ok), ok);
        }
        for (String bad : List.of("ab", "PgSql", "pg_sql", "-pgsql", "pgsql.", "a..b", "a.-b", "192.168.1.1", "xn--abc", "x".repeat(64),
                "name-s3alias")) {
            assertTrue(S3Names.bucketProblem(bad).isPresent(), bad);
        }
    }

    @Test
    void the_certificate_names_the_member_the_store_and_loopback() {
        ModuleContext ctx = new ModuleContext(load(List.of()), Templates.builtIn());
        MinioNode n = MinioNode.find(ctx, ctx.model().node(NODE).orElseThrow()).orElseThrow();
        assertEquals(List.of("IP:10.10.10.10", "DNS:minio-1.pigsty", "DNS:sss.pigsty", "DNS:localhost", "IP:127.0.0.1"),
                new CaIssued(n).names());
    }

    @Test
    void an_endpoint_names_the_store_by_domain_member_name_or_address_and_its_key_must_match() {
        ModuleContext ctx = new ModuleContext(load(List.of()), Templates.builtIn());
        for (String host : List.of("sss.pigsty", "minio-1.pigsty", "10.10.10.10")) {
            assertTrue(S3Endpoint.of(ctx, host).isPresent(), host);
        }
        assertTrue(S3Endpoint.of(ctx, "s3.amazonaws.com").isEmpty());
        S3Endpoint e = S3Endpoint.of(ctx, "sss.pigsty").orElseThrow();
        e.checkCredentials("pgbackrest", "Sandbox.S3.Backup", "pg-test");
        PigException wrong = assertThrows(PigException.class, () -> e.checkCredentials("pgbackrest", "S3User.Backup", "pg-test"));
        assertTrue(wrong.getMessage().contains("another s3_key_secret than the secret_key of user 'pgbackrest'"), wrong.getMessage());
        assertThrows(PigException.class, () -> e.checkCredentials("nobody", "x", "pg-test"));
    }
}

package dev.pig.modules.pgsql;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.pig.core.model.Secret;
import dev.pig.core.plan.Masker;
import dev.pig.core.plan.Step;
import dev.pig.core.ssh.Shell;
import dev.pig.modules.HostVars;

/**
 * How pig reaches Patroni on a cluster's members: its REST API on {@code patroni_port}, the
 * unsafe endpoints with {@code patroni_username}/{@code patroni_password}. Every Patroni URL pig
 * uses is built here, and so are the shell steps that drive a running cluster: change the DCS
 * config, restart a member and wait until it streams again, switch the leader over.
 *
 * <p>A step's credentials reach curl through a config file of the step's own (mode 0600, removed
 * when the step ends), written from the step's stdin: never on a command line, where every local
 * user could read them. JSON answers are read with python3, which Patroni needs anyway.
 *
 * <p>With {@code patroni_ssl_enabled} the REST API speaks TLS with the instance's certificate of
 * the inventory's CA: pig's curl verifies it with the CA and shows the instance's certificate as
 * its own, which Patroni asks of every unsafe call ({@code verify_client: optional}).
 *
 * @param loopWait Patroni's loop in seconds: a member notices a new config within one loop
 * @param tls      whether the REST API speaks TLS ({@code patroni_ssl_enabled})
 */
record Patroni(int port, String username, Secret password, int loopWait, boolean tls) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The instance's certificate, its key and the CA, where the PGSQL module keeps them ({@code pg_cert}). */
    static final String CERT = Paths.PG_LINK + "/cert/server.crt";
    static final String KEY = Paths.PG_LINK + "/cert/server.key";
    static final String CA = Paths.PG_LINK + "/cert/ca.crt";

    static Patroni of(HostVars v) {
        return new Patroni(v.integer("patroni_port"), v.str("patroni_username"), v.secret("patroni_password"), RtoPlan.of(v).loopWait(),
                v.bool("patroni_ssl_enabled"));
    }

    /** {@code http(s)://HOST:PORT/PATH} of a member's REST API; {@code host} may be shell text ({@code $h}). */
    String url(String host, String path) {
        return (tls ? "https://" : "http://") + host + ":" + port + "/" + path;
    }

    /** curl as pig calls the REST API: over TLS, verifying the member and showing the instance's own certificate. */
    String curl() {
        return tls ? "curl --cacert " + CA + " --cert " + CERT + " --key " + KEY : "curl";
    }

    /**
     * A read of a member's {@code path} for the facts, printing the answer: in the scheme the
     * inventory says, else in the other one, so a cluster whose REST API moves to TLS (or back)
     * in this run is still seen as it runs now. {@code host} may be shell text ({@code $h}).
     */
    String fetch(String host, String path) {
        Patroni other = new Patroni(port, username, password, loopWait, !tls);
        return "{ " + curl() + " -sf -m 2 \"" + url(host, path) + "\" 2>/dev/null || " + other.curl() + " -sf -m 2 \""
                + other.url(host, path) + "\" 2>/dev/null; }";
    }

    /** A guard that exits 0 when the member's {@code path} answers 200: {@code leader}, {@code primary}, {@code health}. */
    String answers(String host, String path) {
        return curl() + " -sf -m 5 -o /dev/null " + url(host, path);
    }

    /** How long a step waits for members to take a config change in. */
    int settleSeconds() {
        return Math.max(30, 3 * loopWait);
    }

    /** A step running one of the scripts below, fed the curl config holding the credentials. */
    Step.Exec step(String script, Masker masker) {
        String escaped = (username + ":" + password.reveal()).replace("\\", "\\\\").replace("\"", "\\\"");
        return Step.Exec.withInput(script, "user = \"" + escaped + "\"\n", masker);
    }

    String prelude() {
        return "umask 077\n"
                + "pig_auth=$(mktemp) || exit 1\n"
                + "trap 'rm -f \"$pig_auth\"' EXIT\n"
                + "cat > \"$pig_auth\"\n"
                + "get() { " + curl() + " -sf -m 5 \"" + url("$1", "$2") + "\"; }\n"
                // a POST that fails the step with Patroni's answer unless it is 200
                + "post() { r=$(" + curl() + " -sS -m \"$3\" -K \"$pig_auth\" -X POST -H 'Content-Type: application/json' -d \"$4\" -w '\\n%{http_code}' \""
                + url("$1", "$2") + "\") || { echo \"POST /$2 on $1 failed: $r\" >&2; return 1; }; c=$(printf '%s' \"$r\" | tail -n 1);"
                + " case \"$c\" in 200|202) ;; *) echo \"POST /$2 on $1 answered $c: $(printf '%s' \"$r\" | sed '$d')\" >&2; return 1;; esac; }\n"
                + "upto() { n=$1; shift; i=0; until \"$@\" >/dev/null 2>&1; do i=$((i+1)); [ $i -ge $n ] && return 1; sleep 1; done; }\n"
                + "pending() { get \"$1\" patroni | grep -q '\"pending_restart\": true'; }\n"
                + "leads() { " + curl() + " -sf -m 5 -o /dev/null \"" + url("$1", "leader") + "\"; }\n"
                + "primary() { " + curl() + " -sf -m 5 -o /dev/null \"" + url("$1", "primary") + "\"; }\n"
                // the DCS shows the cluster paused ($2 true) or not ($2 false)
                + "paused() { get \"$1\" cluster | python3 -c 'import json,sys; d=json.load(sys.stdin); "
                + "sys.exit(0 if bool(d.get(\"pause\")) == (sys.argv[1] == \"true\") else 1)' \"$2\"; }\n"
                // $1 streams from the member at $2: that member's walsender for it is streaming
                + "streams() { get \"$2\" patroni | python3 -c 'import json,sys; d=json.load(sys.stdin); "
                + "sys.exit(0 if any(r.get(\"application_name\")==sys.argv[1] and r.get(\"state\")==\"streaming\" "
                + "for r in d.get(\"replication\") or []) else 1)' \"$1\"; }\n"
                // the DCS, which the next plan reads, shows $1 running with no restart pending
                + "settled() { get \"$2\" cluster | python3 -c 'import json,sys; d=json.load(sys.stdin); "
                + "m=[x for x in d.get(\"members\") or [] if x.get(\"name\")==sys.argv[1]]; "
                + "sys.exit(0 if m and m[0].get(\"state\") in (\"running\",\"streaming\") and not m[0].get(\"pending_restart\") else 1)' \"$1\"; }\n"
                // the WAL position a member has: written on a primary, replayed on a replica
                + "loc() { get \"$1\" patroni | python3 -c 'import json,sys; x=json.load(sys.stdin).get(\"xlog\") or {}; "
                + "print(x.get(\"location\", x.get(\"replayed_location\", -1)))'; }\n"
                + "replayed() { [ \"$(loc \"$1\")\" -ge \"$2\" ]; }\n"
                + "fail() { echo \"$*\" >&2; exit 1; }\n";
    }

    /**
     * {@code PATCH /config} on the local Patroni with {@code body}. Patroni answers 409 when its
     * write to the DCS fails (the config changed meanwhile, or its etcd session still carries a
     * password the same run just changed): it is asked again, for 30 s at most.
     */
    String patchConfig(Map<String, Object> body) {
        return prelude() + "n=0; until " + curl() + " -fsS -m 30 -K \"$pig_auth\" -X PATCH -H 'Content-Type: application/json' -d "
                + Shell.quote(json(body)) + " " + url("127.0.0.1", "config") + " >/dev/null; do n=$((n+1)); [ $n -ge 15 ] && exit 1;"
                + " sleep 2; done\n";
    }

    /**
     * Restarts a replica once Patroni reports its restart pending, then waits until it streams
     * from {@code upstreamIp} and the DCS shows it settled. A member with nothing pending after
     * {@link #settleSeconds()} is left running: the setting did not need a restart after all.
     * Names and addresses come from the DCS: each is quoted as one shell word.
     */
    String restartReplica(String name, String ip, String upstreamIp) {
        int settle = settleSeconds();
        String n = q(name);
        String at = q(ip);
        String up = q(upstreamIp);
        return prelude()
                + "if upto " + settle + " pending " + at + "; then\n"
                // caught up first: it then has the settings its upstream last started with in its
                // control file, which Patroni starts it with when they are higher than its own
                + "  at=$(loc " + up + ") && [ \"$at\" -ge 0 ] || fail " + q("no WAL position from " + upstreamIp) + "\n"
                + "  upto 300 replayed " + at + " \"$at\" || fail " + q(name + " has not replayed up to " + upstreamIp + " in 300 s") + "\n"
                + "  post " + at + " restart 600 '{}' >/dev/null || exit 1\n"
                + "  upto 300 streams " + n + " " + up + " || fail " + q(name + " does not stream from " + upstreamIp
                + " 300 s after its restart") + "\n"
                + "  upto 60 settled " + n + " " + at + " || fail " + q("Patroni still reports " + name + " pending restart or not running") + "\n"
                + "  echo " + q(name + " restarted and streams") + "\n"
                + "else\n"
                + "  echo " + q(name + ": no restart pending " + settle + " s after the change: not restarted") + "\n"
                + "fi\n";
    }

    /** Restarts the leader where it is, and waits until it leads again with nothing pending. */
    String restartLeader(String name, String ip) {
        int settle = settleSeconds();
        String at = q(ip);
        return prelude()
                + "if upto " + settle + " pending " + at + "; then\n"
                + "  post " + at + " restart 600 '{}' >/dev/null || exit 1\n"
                + "  upto 120 leads " + at + " || fail " + q(name + " does not lead 120 s after its restart") + "\n"
                + "  upto 60 settled " + q(name) + " " + at + " || fail " + q("Patroni still reports " + name + " pending restart or not running") + "\n"
                + "  echo " + q(name + " restarted and leads") + "\n"
                + "else\n"
                + "  echo " + q(name + ": no restart pending " + settle + " s after the change: not restarted") + "\n"
                + "fi\n";
    }

    /**
     * Switches the lead from {@code leader} to {@code candidate}, which streams from
     * {@code candidateUpstreamIp} (the leader, or the member it cascades from) and which Patroni
     * refuses unless it is healthy; the old leader comes back as a replica streaming from
     * {@code oldLeaderUpstreamIp}, with the new settings since demotion restarts it; it is
     * restarted again only if still pending.
     */
    String switchover(String leader, String leaderIp, String candidate, String candidateIp, String candidateUpstreamIp,
                      String oldLeaderUpstreamIp) {
        String body = json(Map.of("leader", leader, "candidate", candidate));
        String from = q(leaderIp);
        String to = q(candidateIp);
        String up = q(oldLeaderUpstreamIp);
        return prelude()
                + "upto 60 streams " + q(candidate) + " " + q(candidateUpstreamIp) + " || fail " + q(candidate
                + " does not stream: no switchover to it") + "\n"
                // Patroni answers 503 when the switchover outlasts its own wait: the lead may still move
                + "post " + from + " switchover 120 " + q(body) + " || echo " + q("waiting for " + candidate + " to lead") + " >&2\n"
                + "upto 120 leads " + to + " || fail " + q(candidate + " does not lead 120 s after the switchover") + "\n"
                + "upto 300 streams " + q(leader) + " " + up + " || fail " + q(leader + " does not stream from "
                + oldLeaderUpstreamIp + " 300 s after the switchover") + "\n"
                + "if pending " + from + "; then\n"
                + "  post " + from + " restart 600 '{}' >/dev/null || exit 1\n"
                + "  upto 300 streams " + q(leader) + " " + up + " || fail " + q(leader + " does not stream after its restart") + "\n"
                + "fi\n"
                + "upto 60 settled " + q(leader) + " " + to + " || fail " + q("Patroni still reports " + leader + " pending restart or not running") + "\n"
                + "echo " + q(candidate + " leads; " + leader + " streams from it") + "\n";
    }

    /**
     * Promotes {@code candidate} when no member leads, run on the candidate's own host: Patroni
     * promotes whom {@code POST /failover} names, lag or not, so the plan chose it first.
     */
    String failover(String candidate) {
        String body = json(Map.of("candidate", candidate));
        return prelude()
                // 503: Patroni stopped waiting for the outcome, the promotion may still come
                + "post 127.0.0.1 failover 120 " + q(body) + " || echo " + q("waiting for " + candidate + " to lead") + " >&2\n"
                + "upto 120 leads 127.0.0.1 || fail " + q(candidate + " does not lead 120 s after the failover") + "\n"
                + "echo " + q(candidate + " leads") + "\n";
    }

    /** {@code PATCH /config} on the local Patroni, ending the script when it fails. */
    private String patch(Map<String, Object> body) {
        return curl() + " -fsS -m 30 -K \"$pig_auth\" -X PATCH -H 'Content-Type: application/json' -d " + Shell.quote(json(body)) + " "
                + url("127.0.0.1", "config") + " >/dev/null || exit 1\n";
    }

    /** Restarts a replica now, pending or not, and waits until it streams from {@code upstreamIp} again. */
    String restartReplicaNow(String name, String ip, String upstreamIp) {
        String n = q(name);
        String at = q(ip);
        return prelude()
                + "post " + at + " restart 600 '{}' >/dev/null || exit 1\n"
                + "upto 300 streams " + n + " " + q(upstreamIp) + " || fail " + q(name + " does not stream from " + upstreamIp
                + " 300 s after its restart") + "\n"
                + "upto 60 settled " + n + " " + at + " || fail " + q("Patroni reports " + name + " not running") + "\n"
                + "echo " + q(name + " restarted and streams") + "\n";
    }

    /** Restarts the leader in place now, pending or not, and waits until it leads again. */
    String restartLeaderNow(String name, String ip) {
        String at = q(ip);
        return prelude()
                + "post " + at + " restart 600 '{}' >/dev/null || exit 1\n"
                + "upto 120 leads " + at + " || fail " + q(name + " does not lead 120 s after its restart") + "\n"
                + "upto 60 settled " + q(name) + " " + at + " || fail " + q("Patroni reports " + name + " not running") + "\n"
                + "echo " + q(name + " restarted and leads") + "\n";
    }

    /**
     * Rebuilds a replica: Patroni on it removes its data directory and clones it again from its
     * upstream; waits (up to an hour: a clone copies the whole cluster) until it streams.
     */
    String reinit(String name, String ip, String upstreamIp) {
        String n = q(name);
        String at = q(ip);
        return prelude()
                + "post " + at + " reinitialize 60 '{\"force\": true}' >/dev/null || exit 1\n"
                + "upto 3600 streams " + n + " " + q(upstreamIp) + " || fail " + q(name + " does not stream from " + upstreamIp
                + " an hour after its reinit") + "\n"
                + "upto 60 settled " + n + " " + at + " || fail " + q("Patroni reports " + name + " not running") + "\n"
                + "echo " + q(name + " cloned again and streams") + "\n";
    }

    /** Maintenance mode on ({@code pause}) or off, through the local Patroni; waits until the DCS says so. */
    String pause(boolean pause) {
        return prelude() + patch(Map.of("pause", pause))
                + "upto 60 paused 127.0.0.1 " + pause + " || fail " + q("the DCS does not show pause " + pause + " after 60 s") + "\n";
    }

    /** Patroni re-reads patroni.yml and reloads PostgreSQL ({@code POST /reload} on the local Patroni). */
    String reload() {
        return prelude() + "post 127.0.0.1 reload 30 '{}' >/dev/null || exit 1\n";
    }

    /**
     * Turns a standby cluster into a primary one: {@code standby_cluster} leaves the DCS config
     * (through the local Patroni), and its leader {@code name} at {@code ip} promotes; waits until
     * it answers as the primary.
     */
    String promote(String name, String ip) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put(DcsConfig.STANDBY, null);
        return prelude() + patch(body)
                + "upto 120 primary " + q(ip) + " || fail " + q(name + " does not answer as the primary 120 s after the promotion") + "\n"
                + "echo " + q(name + " leads a primary cluster") + "\n";
    }

    private static String q(String s) {
        return Shell.quote(s);
    }

    static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

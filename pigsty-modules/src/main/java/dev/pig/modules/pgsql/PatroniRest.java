package dev.pig.modules.pgsql;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.pig.core.model.Secret;
import dev.pig.core.ssh.Shell;

/**
 * Shell steps that drive Patroni through its REST API from one host of the cluster: change the
 * DCS config, restart a member and wait until it streams again, switch the leader over. The
 * unsafe endpoints take {@code patroni_username}/{@code patroni_password}; the executor masks the
 * password wherever a step is shown. JSON answers are read with python3, which Patroni needs anyway.
 */
final class PatroniRest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final int port;
    private final String auth;
    private final int settle;

    /**
     * @param loopWait Patroni's loop in seconds: a member notices a new config within one loop
     */
    PatroniRest(int port, String username, Secret password, int loopWait) {
        this.port = port;
        this.auth = username + ":" + password.reveal();
        this.settle = Math.max(30, 3 * loopWait);
    }

    /** How long a step waits for members to take a config change in. */
    int settleSeconds() {
        return settle;
    }

    String prelude() {
        return "A=" + Shell.quote(auth) + "\n"
                + "get() { curl -sf -m 5 \"http://$1:" + port + "/$2\"; }\n"
                // a POST that fails the step with Patroni's answer unless it is 200
                + "post() { r=$(curl -sS -m \"$3\" -u \"$A\" -X POST -H 'Content-Type: application/json' -d \"$4\" -w '\\n%{http_code}' \"http://$1:"
                + port + "/$2\") || { echo \"POST /$2 on $1 failed: $r\" >&2; return 1; }; c=$(printf '%s' \"$r\" | tail -n 1);"
                + " [ \"$c\" = 200 ] || { echo \"POST /$2 on $1 answered $c: $(printf '%s' \"$r\" | sed '$d')\" >&2; return 1; }; }\n"
                + "upto() { n=$1; shift; i=0; until \"$@\" >/dev/null 2>&1; do i=$((i+1)); [ $i -ge $n ] && return 1; sleep 1; done; }\n"
                + "pending() { get \"$1\" patroni | grep -q '\"pending_restart\": true'; }\n"
                + "leads() { curl -sf -m 5 -o /dev/null \"http://$1:" + port + "/leader\"; }\n"
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

    /** {@code PATCH /config} on the local Patroni with {@code body}. */
    String patchConfig(Map<String, Object> body) {
        return "curl -fsS -m 30 -u " + Shell.quote(auth) + " -X PATCH -H 'Content-Type: application/json' -d "
                + Shell.quote(json(body)) + " http://127.0.0.1:" + port + "/config >/dev/null";
    }

    /**
     * Restarts a replica once Patroni reports its restart pending, then waits until it streams
     * from {@code upstreamIp} and the DCS shows it settled. A member with nothing pending after
     * {@link #settleSeconds()} is left running: the setting did not need a restart after all.
     */
    String restartReplica(String name, String ip, String upstreamIp) {
        return prelude()
                + "if upto " + settle + " pending " + ip + "; then\n"
                // caught up first: it then has the settings its upstream last started with in its
                // control file, which Patroni starts it with when they are higher than its own
                + "  at=$(loc " + upstreamIp + ") && [ \"$at\" -ge 0 ] || fail 'no WAL position from " + upstreamIp + "'\n"
                + "  upto 300 replayed " + ip + " \"$at\" || fail '" + name + " has not replayed up to " + upstreamIp + " in 300 s'\n"
                + "  post " + ip + " restart 600 '{}' >/dev/null || exit 1\n"
                + "  upto 300 streams " + name + " " + upstreamIp + " || fail '" + name + " does not stream from " + upstreamIp
                + " 300 s after its restart'\n"
                + "  upto 60 settled " + name + " " + ip + " || fail 'Patroni still reports " + name + " pending restart or not running'\n"
                + "  echo '" + name + " restarted and streams'\n"
                + "else\n"
                + "  echo '" + name + ": no restart pending " + settle + " s after the change: not restarted'\n"
                + "fi\n";
    }

    /** Restarts the leader where it is, and waits until it leads again with nothing pending. */
    String restartLeader(String name, String ip) {
        return prelude()
                + "if upto " + settle + " pending " + ip + "; then\n"
                + "  post " + ip + " restart 600 '{}' >/dev/null || exit 1\n"
                + "  upto 120 leads " + ip + " || fail '" + name + " does not lead 120 s after its restart'\n"
                + "  upto 60 settled " + name + " " + ip + " || fail 'Patroni still reports " + name + " pending restart or not running'\n"
                + "  echo '" + name + " restarted and leads'\n"
                + "else\n"
                + "  echo '" + name + ": no restart pending " + settle + " s after the change: not restarted'\n"
                + "fi\n";
    }

    /**
     * Switches the lead from {@code leader} to {@code candidate}, which Patroni refuses unless the
     * candidate is healthy; the old leader comes back as a replica of the new one, with the new
     * settings since demotion restarts it; it is restarted again only if still pending.
     */
    String switchover(String leader, String leaderIp, String candidate, String candidateIp, String oldLeaderUpstreamIp) {
        String body = json(Map.of("leader", leader, "candidate", candidate));
        return prelude()
                + "upto 60 streams " + candidate + " " + leaderIp + " || fail '" + candidate + " does not stream: no switchover to it'\n"
                // Patroni answers 503 when the switchover outlasts its own wait: the lead may still move
                + "post " + leaderIp + " switchover 120 " + Shell.quote(body) + " || echo 'waiting for " + candidate + " to lead' >&2\n"
                + "upto 120 leads " + candidateIp + " || fail '" + candidate + " does not lead 120 s after the switchover'\n"
                + "upto 300 streams " + leader + " " + oldLeaderUpstreamIp + " || fail '" + leader + " does not stream from "
                + oldLeaderUpstreamIp + " 300 s after the switchover'\n"
                + "if pending " + leaderIp + "; then\n"
                + "  post " + leaderIp + " restart 600 '{}' >/dev/null || exit 1\n"
                + "  upto 300 streams " + leader + " " + oldLeaderUpstreamIp + " || fail '" + leader + " does not stream after its restart'\n"
                + "fi\n"
                + "upto 60 settled " + leader + " " + candidateIp + " || fail 'Patroni still reports " + leader + " pending restart or not running'\n"
                + "echo '" + candidate + " leads; " + leader + " streams from it'\n";
    }

    static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

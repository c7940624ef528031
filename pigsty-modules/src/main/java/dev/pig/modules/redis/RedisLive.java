package dev.pig.modules.redis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.pig.core.fact.ClusterSection;
import dev.pig.core.model.RedisCluster;
import dev.pig.core.model.Secret;
import dev.pig.core.ssh.Shell;

/**
 * What every instance of a Redis cluster says now, asked from each node of the cluster, so each
 * node plans with the whole cluster in view, as PGSQL plans with Patroni's view of every member:
 * whether it answers, its live role ({@code INFO replication}), the settings pig changes live
 * ({@code CONFIG GET}), which passwords it takes, a native cluster's own view
 * ({@code CLUSTER INFO}, {@code CLUSTER NODES}), a sentinel's masters ({@code SENTINEL MASTERS}).
 * On its own node only, whether a sentinel's file has the auth-pass of the inventory. A sentinel
 * cluster also asks each master it watches, at the inventory's address, who it replicates from.
 *
 * <p>Secrets stay in the script, which travels on stdin: the password is an assignment there, a
 * password is compared on the host and only {@code current} or {@code other} comes back. When an
 * instance refuses {@code redis_password} (it was changed in the inventory and not yet rolled),
 * it is asked with the password pig recorded on the node ({@link RedisModule#authRecord}).
 *
 * <pre>
 * &#64;instance 10.10.10.10 6379
 * ping PONG
 * role master
 * config maxmemory 67108864
 * auth 1 current pass
 * </pre>
 */
final class RedisLive extends ClusterSection<RedisLive.View> {
    static final String KIND = "redis.live";
    /** The settings pig reads live on data instances: those it changes with CONFIG SET. */
    static final List<String> LIVE_SETTINGS = List.of("maxmemory", "maxmemory-policy", "save", "appendonly", "bind");

    RedisLive(RedisCluster c, Script s) {
        super(KIND, c.name(), s.text());
    }

    /** The section of {@code c}, asking its instances with {@code password} and {@code clis}. */
    static RedisLive of(RedisCluster c, Secret password, Map<RedisCluster.Instance, RedisCli> clis) {
        return new RedisLive(c, new Script(c, password, clis));
    }

    /** The shell text of the section. */
    record Script(RedisCluster c, Secret password, Map<RedisCluster.Instance, RedisCli> clis) {
        String text() {
            StringBuilder b = new StringBuilder();
            b.append("command -v redis-cli >/dev/null 2>&1 || { echo '@nocli'; exit 0; }\n");
            b.append("pig_rec=$(cat ").append(Shell.quote(RedisModule.authRecord(c.name()))).append(" 2>/dev/null || true)\n");
            b.append(FUNCTIONS);
            String ask = switch (c.mode()) {
                case SENTINEL -> SENTINEL_ASKS;
                case CLUSTER -> DATA_ASKS + CLUSTER_ASKS;
                case STANDALONE -> DATA_ASKS;
            };
            for (RedisCluster.Instance i : c.instances()) {
                RedisCli cli = clis.get(i);
                b.append("pig_h=").append(Shell.quote(cli.host())).append(" pig_o=").append(cli.port())
                        .append(" pig_a=").append(Shell.quote(password.reveal())).append('\n');
                b.append("printf '@instance %s %s\\n' ").append(Shell.quote(i.ip())).append(' ').append(i.port()).append('\n');
                b.append("pig_ask ").append(Shell.quote(ask)).append('\n');
                String conf = RedisModule.conf(i.name());
                if (c.mode() == RedisCluster.Mode.SENTINEL) {
                    b.append("if [ -f ").append(Shell.quote(conf)).append(" ]; then\n");
                    for (RedisCluster.Monitor m : c.monitors()) {
                        b.append("  pig_authpass ").append(Shell.quote(conf)).append(' ').append(Shell.quote(m.name())).append(' ')
                                .append(Shell.quote(m.password().map(Secret::reveal).orElse(""))).append('\n');
                    }
                    b.append("fi\n");
                }
            }
            for (RedisCluster.Monitor m : c.monitors()) {
                b.append("pig_h=").append(Shell.quote(m.host())).append(" pig_o=").append(m.port()).append(" pig_a=")
                        .append(Shell.quote(m.password().map(Secret::reveal).orElse(""))).append(" pig_rec=\n");
                b.append("printf '@probe %s %s %s\\n' ").append(Shell.quote(m.name())).append(' ').append(Shell.quote(m.host()))
                        .append(' ').append(m.port()).append('\n');
                b.append("pig_ask ").append(Shell.quote(REPLICATION_ASKS)).append('\n');
            }
            return b.toString();
        }
    }

    /*
     * What an instance is asked, in one redis-cli call: its commands after PING, each reply after
     * a marker (ECHO @@pig-NAME; a sentinel, which has no ECHO, names the marker in its error).
     */
    static final String REPLICATION_ASKS = "ECHO @@pig-rep\nINFO replication\n";
    static final String DATA_ASKS = REPLICATION_ASKS
            + "ECHO @@pig-cfg\nCONFIG GET " + String.join(" ", LIVE_SETTINGS) + "\n"
            + "ECHO @@pig-acl\nACL GETUSER default\n"
            + "ECHO @@pig-ma\nCONFIG GET masterauth\n";
    static final String CLUSTER_ASKS = "ECHO @@pig-ci\nCLUSTER INFO\nECHO @@pig-id\nCLUSTER MYID\nECHO @@pig-cn\nCLUSTER NODES\n";
    static final String SENTINEL_ASKS = "ECHO @@pig-sm\nSENTINEL MASTERS\nECHO @@pig-acl\nACL GETUSER default\n";

    /**
     * The shell functions of the section. {@code pig_h}, {@code pig_o} and {@code pig_a} name the
     * instance and the password to try; {@code pig_rec} is the recorded one to try next. One
     * instance costs one redis-cli and one awk: the replies are read in awk, the secrets compared
     * there (from its environment), and only {@code current} or {@code other} comes back.
     */
    static final String FUNCTIONS = """
            pig_run() {
              if [ -n "$pig_a" ]; then printf 'PING\\n%s' "$1" | REDISCLI_AUTH="$pig_a" timeout 5 redis-cli --no-auth-warning --raw -h "$pig_h" -p "$pig_o"
              else printf 'PING\\n%s' "$1" | timeout 5 redis-cli --raw -h "$pig_h" -p "$pig_o"; fi 2>&1
            }
            pig_ask() {
              pig_want=$pig_a pig_with=""
              pig_out=$(pig_run "$1")
              case "$pig_out" in PONG*) ;; *)
                if [ -n "$pig_rec" ] && [ "$pig_rec" != "$pig_a" ]; then
                  case "$pig_out" in *NOAUTH*|*WRONGPASS*|*AUTH*)
                    pig_a=$pig_rec; pig_out=$(pig_run "$1"); case "$pig_out" in PONG*) pig_with=1;; esac;;
                  esac
                fi;;
              esac
              [ -z "$pig_with" ] || echo 'with recorded'
              # auth and masterauth say whether the instance takes the inventory's password
              if [ "${pig_sum_of:-}" != "$pig_want" ] || [ -z "${pig_sum:-}" ]; then
                pig_sum=$(printf '%s' "$pig_want" | sha256sum | cut -d' ' -f1); pig_sum_of=$pig_want
              fi
              printf '%s\\n' "$pig_out" | pig_want="$pig_want" pig_sum="$pig_sum" awk '
                { sub(/\\r$/, "") }
                NR == 1 { printf "ping %s\\n", $0; if ($0 != "PONG") { down = 1; exit; }; next }
                /@@pig-[a-z]+/ { match($0, /@@pig-[a-z]+/); seg = substr($0, RSTART + 6, RLENGTH - 6); k = ""; c = 0; err = ($0 !~ /^@@pig-/); next }
                err { err = 0; if ($0 == "") next }
                seg == "rep" && /^(role|master_host|master_port|master_link_status):/ { i = index($0, ":"); print substr($0, 1, i - 1) " " substr($0, i + 1) }
                seg == "cfg" { if (c++ % 2 == 0) k = $0; else print "config " k " " $0 }
                seg == "acl" { acl = 1 }
                seg == "acl" && /^(flags|passwords|commands|keys|channels|selectors)$/ { s = $0; next }
                seg == "acl" && s == "flags" && $0 == "nopass" { nopass = 1 }
                seg == "acl" && s == "passwords" && $0 != "" { n++; if ($0 == ENVIRON["pig_sum"]) cur = 1 }
                seg == "ma" { if (c++ == 1) ma = ($0 == "" ? "none" : $0 == ENVIRON["pig_want"] ? "current" : "other") }
                seg == "ci" && /^cluster_(state|slots_assigned|known_nodes):/ { i = index($0, ":"); print "cluster " substr($0, 9, i - 9) " " substr($0, i + 1) }
                seg == "id" && $0 != "" { print "cluster myid " $0 }
                seg == "cn" && NF >= 8 { printf "node %s %s %s %s", $1, $2, $3, $4; for (j = 9; j <= NF; j++) printf " %s", $j; printf "\\n" }
                seg == "sm" {
                  if (c++ % 2 == 0) { k = $0; if (k == "name" && line != "") { print line; line = "" } }
                  else if (k ~ /^(name|ip|port|quorum|down-after-milliseconds|flags|num-other-sentinels|num-slaves)$/) line = line (line == "" ? "master " : " ") k "=" $0
                }
                END {
                  if (down) exit
                  if (line != "") print line
                  if (acl) printf "auth %d %s %s\\n", n, cur ? "current" : "other", nopass ? "nopass" : "pass"
                  if (ma != "") print "masterauth " ma
                }'
            }
            pig_authpass() {
              if ! grep -q "^sentinel auth-pass $2 " "$1"; then
                if [ -z "$3" ]; then echo "authpass $2 current"; else echo "authpass $2 none"; fi
              elif [ -n "$3" ] && grep -qxF "sentinel auth-pass $2 $3" "$1"; then echo "authpass $2 current"
              else echo "authpass $2 other"; fi
            }
            """;

    @Override
    public View parse(String output) {
        if (output.lines().anyMatch(l -> l.equals("@nocli"))) {
            return new View(false, Map.of(), Map.of());
        }
        Map<RedisCluster.Endpoint, Instance.Builder> instances = new LinkedHashMap<>();
        Map<String, Instance.Builder> probes = new LinkedHashMap<>();
        Instance.Builder at = null;
        for (String line : output.lines().toList()) {
            if (line.startsWith("@instance ") || line.startsWith("@probe ")) {
                String[] w = line.split(" ");
                boolean probe = line.startsWith("@probe ");
                int base = probe ? 2 : 1;
                if (w.length < base + 2) {
                    at = null;
                    continue;
                }
                RedisCluster.Endpoint e = new RedisCluster.Endpoint(w[base], Integer.parseInt(w[base + 1]));
                at = new Instance.Builder(e);
                if (probe) {
                    probes.put(w[1], at);
                } else {
                    instances.put(e, at);
                }
                continue;
            }
            if (at != null) {
                at.line(line);
            }
        }
        Map<RedisCluster.Endpoint, Instance> out = new LinkedHashMap<>();
        instances.forEach((e, b) -> out.put(e, b.build()));
        Map<String, Instance> pr = new LinkedHashMap<>();
        probes.forEach((n, b) -> pr.put(n, b.build()));
        return new View(true, out, pr);
    }

    @Override
    public String summary(View v) {
        if (!v.answered()) {
            return "redis-cli is not installed";
        }
        List<String> parts = new ArrayList<>();
        v.instances().forEach((e, i) -> parts.add(e + " " + (i.up() ? i.role() : "down")));
        return String.join(", ", parts);
    }

    /**
     * The cluster as one node sees it.
     *
     * @param answered  redis-cli is installed on the node
     * @param instances by address, what each instance says
     * @param probes    by sentinel master name, what the master says at the inventory's address
     */
    record View(boolean answered, Map<RedisCluster.Endpoint, Instance> instances, Map<String, Instance> probes) {

        /** What {@code e} says; an instance nothing was asked of (or that is down) reads as down. */
        Instance instance(RedisCluster.Endpoint e) {
            return instances.getOrDefault(e, Instance.down(e, "not asked"));
        }
    }

    /** A native cluster's node as {@code CLUSTER NODES} lists it. */
    record ClusterNode(String id, RedisCluster.Endpoint endpoint, List<String> flags, String masterId, List<String> slots) {
        boolean master() {
            return flags.contains("master");
        }

        boolean myself() {
            return flags.contains("myself");
        }

        boolean failed() {
            return flags.contains("fail") || flags.contains("noaddr");
        }

        /** How many slots its ranges cover ({@code 0-5460}, {@code 5461}); migrating markers are not counted. */
        int slotCount() {
            int n = 0;
            for (String s : slots) {
                if (s.startsWith("[")) {
                    continue;
                }
                int dash = s.indexOf('-');
                n += dash < 0 ? 1 : Integer.parseInt(s.substring(dash + 1)) - Integer.parseInt(s.substring(0, dash)) + 1;
            }
            return n;
        }
    }

    /** A master as a sentinel watches it. */
    record SentinelMaster(String name, RedisCluster.Endpoint endpoint, int quorum, int downAfter, String flags, int otherSentinels,
                          int replicas) {
    }

    /**
     * What one instance says.
     *
     * @param ping          PONG, or the first line of what it answered instead
     * @param withRecorded  it refused redis_password and took the password pig recorded
     * @param upstream      the master it replicates from, as {@code INFO replication} says
     * @param auth          passwords of its default user: how many, whether redis_password is one, nopass
     * @param masterauth    {@code current}, {@code other} or {@code none}
     * @param authPass      a sentinel's auth-pass of each master, as its own file holds it: current, other or none
     */
    record Instance(RedisCluster.Endpoint endpoint, String ping, boolean withRecorded, String role, Optional<RedisCluster.Endpoint> upstream,
                    boolean linkUp, Map<String, String> config, Optional<Auth> auth, String masterauth, Map<String, String> cluster,
                    List<ClusterNode> nodes, List<SentinelMaster> masters, Map<String, String> authPass) {

        static Instance down(RedisCluster.Endpoint e, String why) {
            return new Instance(e, why, false, "", Optional.empty(), false, Map.of(), Optional.empty(), "", Map.of(), List.of(), List.of(),
                    Map.of());
        }

        boolean up() {
            return ping.equals("PONG");
        }

        boolean master() {
            return up() && role.equals("master");
        }

        boolean replica() {
            return up() && role.equals("slave");
        }

        /** {@code cluster_known_nodes}; 0 when not asked. */
        int knownNodes() {
            return Integer.parseInt(cluster.getOrDefault("known_nodes", "0"));
        }

        int slotsAssigned() {
            return Integer.parseInt(cluster.getOrDefault("slots_assigned", "0"));
        }

        Optional<ClusterNode> myself() {
            return nodes.stream().filter(ClusterNode::myself).findFirst();
        }

        Optional<SentinelMaster> sentinelMaster(String name) {
            return masters.stream().filter(m -> m.name().equals(name)).findFirst();
        }

        /** Which passwords the default user takes. */
        record Auth(int count, boolean current, boolean nopass) {
        }

        static final class Builder {
            private final RedisCluster.Endpoint endpoint;
            private String ping = "no answer";
            private boolean withRecorded;
            private String role = "";
            private String masterHost;
            private int masterPort;
            private boolean linkUp;
            private final Map<String, String> config = new LinkedHashMap<>();
            private Auth auth;
            private String masterauth = "";
            private final Map<String, String> cluster = new LinkedHashMap<>();
            private final List<ClusterNode> nodes = new ArrayList<>();
            private final List<SentinelMaster> masters = new ArrayList<>();
            private final Map<String, String> authPass = new LinkedHashMap<>();

            Builder(RedisCluster.Endpoint endpoint) {
                this.endpoint = endpoint;
            }

            void line(String line) {
                int sp = line.indexOf(' ');
                String key = sp < 0 ? line : line.substring(0, sp);
                String rest = sp < 0 ? "" : line.substring(sp + 1);
                switch (key) {
                    case "ping" -> ping = rest;
                    case "with" -> withRecorded = rest.equals("recorded");
                    case "role" -> role = rest;
                    case "master_host" -> masterHost = rest;
                    case "master_port" -> masterPort = parseInt(rest);
                    case "master_link_status" -> linkUp = rest.equals("up");
                    case "config" -> {
                        int s = rest.indexOf(' ');
                        config.put(s < 0 ? rest : rest.substring(0, s), s < 0 ? "" : rest.substring(s + 1));
                    }
                    case "auth" -> {
                        String[] w = rest.split(" ");
                        if (w.length == 3) {
                            auth = new Auth(parseInt(w[0]), w[1].equals("current"), w[2].equals("nopass"));
                        }
                    }
                    case "masterauth" -> masterauth = rest;
                    case "cluster" -> {
                        int s = rest.indexOf(' ');
                        if (s > 0) {
                            cluster.put(rest.substring(0, s), rest.substring(s + 1));
                        }
                    }
                    case "node" -> node(rest.split(" "));
                    case "master" -> master(rest.split(" "));
                    case "authpass" -> {
                        String[] w = rest.split(" ");
                        if (w.length == 2) {
                            authPass.put(w[0], w[1]);
                        }
                    }
                    default -> {
                        // a line pig does not read (an empty CONFIG GET reply) changes nothing
                    }
                }
            }

            private void node(String[] w) {
                if (w.length < 4) {
                    return;
                }
                // ip:port@cport[,hostname]
                String addr = w[1].split("@")[0];
                int colon = addr.lastIndexOf(':');
                RedisCluster.Endpoint e = colon < 0 ? new RedisCluster.Endpoint(addr, 0)
                        : new RedisCluster.Endpoint(addr.substring(0, colon), parseInt(addr.substring(colon + 1)));
                List<String> slots = w.length > 4 ? List.of(w).subList(4, w.length) : List.of();
                nodes.add(new ClusterNode(w[0], e, List.of(w[2].split(",")), w[3], List.copyOf(slots)));
            }

            private void master(String[] w) {
                Map<String, String> kv = new LinkedHashMap<>();
                for (String p : w) {
                    int eq = p.indexOf('=');
                    if (eq > 0) {
                        kv.put(p.substring(0, eq), p.substring(eq + 1));
                    }
                }
                if (kv.containsKey("name")) {
                    masters.add(new SentinelMaster(kv.get("name"), new RedisCluster.Endpoint(kv.getOrDefault("ip", ""),
                            parseInt(kv.getOrDefault("port", "0"))), parseInt(kv.getOrDefault("quorum", "0")),
                            parseInt(kv.getOrDefault("down-after-milliseconds", "0")), kv.getOrDefault("flags", ""),
                            parseInt(kv.getOrDefault("num-other-sentinels", "0")), parseInt(kv.getOrDefault("num-slaves", "0"))));
                }
            }

            private static int parseInt(String s) {
                try {
                    return Integer.parseInt(s.strip());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }

            Instance build() {
                Optional<RedisCluster.Endpoint> m = masterHost == null || masterHost.isEmpty() ? Optional.empty()
                        : Optional.of(new RedisCluster.Endpoint(masterHost, masterPort));
                return new Instance(endpoint, ping, withRecorded, role, m, linkUp, Map.copyOf(config), Optional.ofNullable(auth), masterauth,
                        Map.copyOf(cluster), List.copyOf(nodes), List.copyOf(masters), Map.copyOf(authPass));
            }
        }
    }
}

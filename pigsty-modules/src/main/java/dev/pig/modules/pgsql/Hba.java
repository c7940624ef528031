package dev.pig.modules.pgsql;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.pig.core.model.HbaRule;
import dev.pig.core.model.PgInstance;
import dev.pig.core.model.PgRole;

/**
 * Renders {@code pg_default_hba_rules} and {@code pg_hba_rules} into pg_hba lines for one
 * instance, with Pigsty's aliases:
 *
 * <pre>
 * - { user: '${repl}', db: replication, addr: intra, auth: pwd, title: 'replicator replication from intranet', order: 250 }
 * # replicator replication from intranet
 * host     replication   replicator     10.0.0.0/8        scram-sha-256
 * ...
 * </pre>
 *
 * Addresses: local (unix socket), localhost (the socket and loopback), admin ({@code admin_ip}), infra (infra nodes),
 * cluster (the cluster's members), intra (private ranges), world, or a CIDR/IP. Methods: pwd
 * ({@code pg_pwd_enc}), sha, md5, ssl (password over TLS), cert, os/ident, peer, trust, deny.
 * Rules apply on the instances their {@code role} names; {@code common} is every instance.
 */
public final class Hba {
    static final List<String> INTRA = List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16");

    /** What the aliases stand for on one cluster. */
    public record Aliases(String dbsu, String replicator, String monitor, String admin, String adminIp, List<String> infra,
                          List<String> cluster, String pwdEnc) {
        String user(String u) {
            return u.replace("${dbsu}", dbsu).replace("${repl}", replicator).replace("${monitor}", monitor)
                    .replace("${admin}", admin);
        }
    }

    private Hba() {
    }

    /** Whether a rule with {@code role} applies on {@code inst}. */
    static boolean applies(String role, PgInstance inst) {
        return switch (role) {
            case "common", "" -> true;
            case "primary" -> inst.role() == PgRole.PRIMARY;
            case "replica" -> inst.role() != PgRole.PRIMARY;
            case "offline" -> inst.role() == PgRole.OFFLINE || inst.offlineQuery();
            case "standby" -> inst.role() == PgRole.STANDBY;
            case "delayed" -> inst.role() == PgRole.DELAYED;
            default -> false;
        };
    }

    /** The pg_hba lines of {@code inst}, rules sorted by order (ties keep inventory order). */
    public static List<String> render(List<HbaRule> rules, PgInstance inst, Aliases a) {
        return render(rules, inst, a, false);
    }

    /**
     * The pgb_hba lines of {@code inst}: the same rules and aliases, with PgBouncer's methods
     * (it knows peer but not ident over the unix socket, and no ident at all over TCP).
     */
    public static List<String> renderPgbouncer(List<HbaRule> rules, PgInstance inst, Aliases a) {
        return render(rules, inst, a, true);
    }

    private static List<String> render(List<HbaRule> rules, PgInstance inst, Aliases a, boolean pgbouncer) {
        List<HbaRule> sorted = new ArrayList<>(rules.stream().filter(r -> applies(r.role(), inst)).toList());
        sorted.sort(Comparator.comparingInt(HbaRule::order));
        List<String> out = new ArrayList<>();
        for (HbaRule r : sorted) {
            if (!r.title().isBlank()) {
                out.add("# " + r.title());
            }
            if (!r.rules().isEmpty()) {
                r.rules().forEach(l -> out.add(a.user(l)));
                continue;
            }
            out.addAll(lines(r, a, pgbouncer));
        }
        return out;
    }

    static List<String> lines(HbaRule r, Aliases a, boolean pgbouncer) {
        String user = a.user(r.user());
        String method = method(r.auth(), a.pwdEnc());
        if (pgbouncer && method.equals("ident")) {
            method = "peer";
        }
        boolean tls = r.auth().startsWith("ssl") || r.auth().equals("cert");
        List<String> out = new ArrayList<>();
        if (r.addr().equals("local") || r.addr().equals("localhost")) {
            // localhost is the unix socket too, as in Pigsty: pgbouncer reaches postgres through it
            out.add(line("local", r.db(), user, "", method));
            if (r.addr().equals("local")) {
                return out;
            }
        }
        String type = tls ? "hostssl" : "host";
        for (String cidr : addresses(r.addr(), a)) {
            out.add(line(type, r.db(), user, cidr, method));
        }
        return out;
    }

    static List<String> addresses(String addr, Aliases a) {
        return switch (addr) {
            case "localhost" -> List.of("127.0.0.1/32", "::1/128");
            case "admin" -> List.of(cidr(a.adminIp()));
            case "infra" -> a.infra().stream().map(Hba::cidr).toList();
            case "cluster" -> a.cluster().stream().map(Hba::cidr).toList();
            case "intra", "intranet" -> INTRA;
            case "world", "all" -> List.of("0.0.0.0/0", "::/0");
            default -> List.of(cidr(addr));
        };
    }

    static String method(String auth, String pwdEnc) {
        return switch (auth) {
            case "pwd", "ssl" -> pwdEnc;
            case "sha", "scram", "ssl-sha" -> "scram-sha-256";
            case "md5", "ssl-md5" -> "md5";
            case "os", "ident" -> "ident";
            case "deny", "reject" -> "reject";
            default -> auth; // trust, peer, cert and the real method names
        };
    }

    private static String cidr(String ip) {
        return ip.contains("/") ? ip : ip.contains(":") ? ip + "/128" : ip + "/32";
    }

    private static String line(String type, String db, String user, String addr, String method) {
        return String.format("%-8s %-13s %-14s %-17s %s", type, word(db), word(user), addr, method);
    }

    /**
     * A database or user field as pg_hba.conf reads it: as it is when it is one word, else in
     * double quotes (a name with a space or a {@code #}); a double quote cannot be written there.
     */
    static String word(String s) {
        if (s.matches("[^\\s#\"]+")) {
            return s;
        }
        if (s.contains("\"") || s.chars().anyMatch(c -> c < 0x20)) {
            throw new dev.pig.core.diag.PigException(dev.pig.core.diag.PigException.Kind.USAGE, "the HBA field '" + s
                    + "' cannot be written to pg_hba.conf: it has a double quote or a control character");
        }
        return "\"" + s + "\"";
    }
}

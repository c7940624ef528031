package dev.pig.core.model;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import dev.pig.core.diag.ControlChars;
import dev.pig.core.diag.Source;
import dev.pig.core.inventory.Var;
import dev.pig.core.inventory.YNode;

/**
 * What the INFRA module writes from an infra node's parameters, checked where it is written:
 * nginx's server names, proxy endpoints and roots ({@code infra_portal}), dnsmasq's records
 * ({@code dns_records}), the portal's links ({@code infra_extra_services}), Alertmanager's
 * receivers and the routes naming them, Grafana's ini values; and what nodes resolve with
 * ({@code node_dns_servers}) and the names clusters register ({@code pg_dns_suffix}).
 *
 * <pre>
 * infra_portal: { grafana: { domain: 'g.pigsty; x', endpoint: '$host:3000' } }   # a word of nginx.conf, and a variable
 * dns_records: [ '10.10.10.10 i.pigsty # x' ]                                       # a comment in a hosts file
 * alertmanager_routes: [ { receiver: oncall } ]                                     # no receiver 'oncall'
 * </pre>
 */
final class InfraSettings {
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9*_](?:[A-Za-z0-9_.*-]{0,252})");
    private static final Pattern ENDPOINT = Pattern.compile("(?:\\$\\{admin_ip\\}|[A-Za-z0-9][A-Za-z0-9.-]*|\\[[0-9a-fA-F:]+\\])(?::\\d{1,5})?(?:/[A-Za-z0-9._~/-]*)?");
    private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._~/-]*");
    private static final Pattern ADDRESS = Pattern.compile("\\$\\{admin_ip\\}|\\d{1,3}(?:\\.\\d{1,3}){3}|[0-9a-fA-F:]+:[0-9a-fA-F:]*");
    private static final Pattern URL = Pattern.compile("(?:https?://|/)[^\\s\"'<>`]*");
    private static final Pattern RECEIVER = Pattern.compile("[A-Za-z0-9_.-]+");

    private final BuildContext cx;
    private final Set<Source> seen = new HashSet<>();

    private InfraSettings(BuildContext cx) {
        this.cx = cx;
    }

    /** Checks the parameters every host of the inventory resolves, each written value once. */
    static void check(BuildContext cx) {
        InfraSettings s = new InfraSettings(cx);
        for (String h : cx.hostVars().keySet()) {
            s.host(h);
        }
    }

    private void host(String h) {
        written(h, "infra_portal").ifPresent(this::portal);
        written(h, "dns_records").ifPresent(v -> items(v, item -> record(item)));
        written(h, "infra_extra_services").ifPresent(v -> items(v, this::link));
        written(h, "node_dns_servers").ifPresent(v -> items(v, this::server));
        written(h, "pg_dns_suffix").ifPresent(v -> scalar(v, s -> {
            if (!s.isEmpty() && !HOST_NAME.matcher("x" + s).matches()) {
                error("pg_dns_suffix '" + s + "' cannot end a host name", v.source(),
                        "It is appended to each cluster's name in dnsmasq's records: letters, digits, '.', '-' and '_', like .db or .pigsty.");
            }
        }));
        written(h, "pg_dns_target").ifPresent(v -> scalar(v, s -> {
            if (!List.of("auto", "primary", "vip", "none").contains(s) && !ADDRESS.matcher(s).matches()) {
                error("pg_dns_target '" + s + "' is neither auto, primary, vip, none nor an address", v.source(),
                        "It says what the cluster's name resolves to: its VIP or primary (auto), one of them, nothing, or an IP.");
            }
        }));
        for (String p : List.of("grafana_admin_username", "grafana_admin_password")) {
            written(h, p).ifPresent(v -> scalar(v, s -> {
                if (s.contains("\"\"\"")) {
                    error(p + " holds '\"\"\"'", v.source(), "grafana.ini has no way to write three double quotes inside a value; use another.");
                }
            }));
        }
        receivers(h);
    }

    /** The value the inventory writes for a host, once per place it is written. */
    private java.util.Optional<YNode> written(String h, String param) {
        Var v = cx.var(h, param);
        if (v == null || v.node() == null || !seen.add(v.node().source())) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(v.node());
    }

    private void portal(YNode node) {
        if (!(node instanceof YNode.Map m)) {
            return;
        }
        for (YNode.Entry e : m.entries().values()) {
            if (!(e.value() instanceof YNode.Map entry)) {
                continue;
            }
            text(entry.get("domain")).ifPresent(d -> {
                if (!HOST_NAME.matcher(d).matches()) {
                    error("infra_portal." + e.key() + ".domain '" + d + "' is no host name", entry.get("domain").source(),
                            "nginx serves it as a server_name: letters, digits, '.', '-', '_' and a leading '*', like g.pigsty.");
                }
            });
            text(entry.get("endpoint")).ifPresent(d -> {
                if (!ENDPOINT.matcher(d).matches()) {
                    error("infra_portal." + e.key() + ".endpoint '" + d + "' is no host:port", entry.get("endpoint").source(),
                            "nginx proxies the domain to it, and would read a '$' in it as one of its variables: write\n"
                                    + "host:port or ${admin_ip}:port, like ${admin_ip}:3000.");
                }
            });
            text(entry.get("path")).ifPresent(d -> {
                if (!PATH.matcher(d).matches()) {
                    error("infra_portal." + e.key() + ".path '" + d + "' is no plain absolute path", entry.get("path").source(),
                            "nginx serves the files under it: an absolute path of letters, digits, '.', '_', '~', '-' and '/'.");
                }
            });
        }
    }

    private void record(YNode item) {
        text(item).ifPresent(r -> {
            String[] words = r.strip().split("\\s+");
            boolean ok = words.length >= 2 && ADDRESS.matcher(words[0]).matches();
            for (int i = 1; ok && i < words.length; i++) {
                ok = HOST_NAME.matcher(words[i]).matches();
            }
            if (!ok) {
                error("dns_records entry '" + r + "' is not '<ip> <name> [name...]'", item.source(),
                        "dnsmasq reads each entry as a line of a hosts file: an address, then host names of letters, digits,\n"
                                + "'.', '-' and '_'; ${admin_ip} stands for the admin node.");
            }
        });
    }

    private void link(YNode item) {
        if (!(item instanceof YNode.Map m)) {
            return;
        }
        text(m.get("url")).ifPresent(u -> {
            if (!URL.matcher(u.replace("${admin_ip}", "x")).matches()) {
                error("infra_extra_services url '" + u + "' is not an http(s) URL or a path", m.get("url").source(),
                        "The portal links to it: start it with http://, https:// or /.");
            }
        });
    }

    private void server(YNode item) {
        text(item).ifPresent(s -> {
            if (!ADDRESS.matcher(s).matches()) {
                error("node_dns_servers entry '" + s + "' is no IP address", item.source(),
                        "resolv.conf names a nameserver by address; ${admin_ip} stands for the admin node.");
            }
        });
    }

    /** The receivers pig writes, named once each, and every route naming one of them. */
    private void receivers(String h) {
        Var rv = cx.var(h, "alertmanager_receivers");
        Var routes = cx.var(h, "alertmanager_routes");
        Set<String> names = new LinkedHashSet<>(List.of("pig"));
        if (rv != null && rv.node() instanceof YNode.Seq seq) {
            boolean first = seen.add(seq.source());
            for (YNode item : seq.items()) {
                YNode name = item instanceof YNode.Map m ? m.get("name") : null;
                java.util.Optional<String> n = text(name);
                if (n.isEmpty() || !RECEIVER.matcher(n.get()).matches() || !names.add(n.get())) {
                    if (first) {
                        error(n.isEmpty() ? "an alertmanager_receivers entry has no name"
                                        : "alertmanager_receivers has the receiver '" + n.get() + "' " + (n.get().equals("pig")
                                        ? "(pig's own, which notifies nobody)" : names.contains(n.get()) ? "twice" : "with a name Alertmanager cannot take"),
                                name == null ? item.source() : name.source(),
                                "Each receiver needs a name of its own (letters, digits, '.', '_', '-'), not 'pig': routes send alerts to it by name.");
                    }
                }
            }
        }
        if (routes != null && routes.node() instanceof YNode.Seq seq && seen.add(seq.source())) {
            route(seq, names);
        }
    }

    private void route(YNode.Seq routes, Set<String> names) {
        for (YNode item : routes.items()) {
            if (!(item instanceof YNode.Map m)) {
                error("an alertmanager_routes entry is not a mapping", item.source(), "Write each route as { matchers: [...], receiver: NAME }.");
                continue;
            }
            YNode r = m.get("receiver");
            text(r).ifPresent(n -> {
                if (!names.contains(n)) {
                    error("alertmanager_routes sends alerts to the receiver '" + n + "', which alertmanager_receivers does not have", r.source(),
                            "Add { name: " + n + ", ... } to alertmanager_receivers, or route to one of: " + String.join(", ", names) + ".");
                }
            });
            if (m.get("routes") instanceof YNode.Seq child) {
                route(child, names);
            }
        }
    }

    private static java.util.Optional<String> text(YNode n) {
        if (n instanceof YNode.Scalar s && s.value() != null) {
            String t = String.valueOf(s.value());
            // control characters are reported on their own; a template is checked once resolved
            if (ControlChars.first(t, false).isEmpty() && !t.contains("{{")) {
                return java.util.Optional.of(t);
            }
        }
        return java.util.Optional.empty();
    }

    private static void items(YNode node, java.util.function.Consumer<YNode> each) {
        if (node instanceof YNode.Seq seq) {
            seq.items().forEach(each);
        }
    }

    private static void scalar(YNode node, java.util.function.Consumer<String> check) {
        text(node).ifPresent(check);
    }

    private void error(String summary, Source at, String hint) {
        cx.diags.error(summary, at, hint);
    }
}

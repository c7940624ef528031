package dev.pig.it;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The sandbox's metrics stack as the end-to-end tests read it, over HTTP from this machine:
 * VictoriaMetrics' query API, vmalert's rules and Alertmanager's alerts; and pig's dashboards,
 * whose every panel query is run against VictoriaMetrics with the dashboard's variables set to
 * values its own variable queries find.
 */
final class Victoria {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Marks a panel whose query has data only while an alert fires, in its description. */
    static final String FAULT_ONLY = "Shows data only while an alert fires.";
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.*),\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\)");
    private static final Pattern VARIABLE = Pattern.compile("\\$([a-zA-Z_][a-zA-Z0-9_]*)");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).proxy(HttpClient.Builder.NO_PROXY).build();
    private final String base;

    Victoria(String base) {
        this.base = base;
    }

    JsonNode get(String url) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new AssertionError(url + " answered " + r.statusCode() + ": " + r.body());
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError(url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(url + ": interrupted", e);
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The series an instant query returns now. */
    List<JsonNode> query(String promql) {
        List<JsonNode> out = new ArrayList<>();
        get(base + "/api/v1/query?query=" + enc(promql)).path("data").path("result").forEach(out::add);
        return out;
    }

    /** The scrape targets VictoriaMetrics knows. */
    List<JsonNode> targets() {
        List<JsonNode> out = new ArrayList<>();
        get(base + "/api/v1/targets").path("data").path("activeTargets").forEach(out::add);
        return out;
    }

    /** Every value of {@code label} on the series {@code selector} matches, sorted. */
    List<String> labelValues(String selector, String label) {
        Set<String> out = new java.util.TreeSet<>();
        get(base + "/api/v1/series?match[]=" + enc(selector) + "&start=" + (System.currentTimeMillis() / 1000 - 600))
                .path("data").forEach(s -> {
                    if (s.has(label)) {
                        out.add(s.get(label).asText());
                    }
                });
        return List.copyOf(out);
    }

    /** One panel query of a dashboard: its file, panel, expression and whether it needs a fault to have data. */
    record Panel(String dashboard, String title, String expr, boolean faultOnly) {
    }

    /** The dashboards under {@code dir}, each with its variables' queries and its panels' expressions. */
    static Map<String, JsonNode> dashboards(Path dir) throws IOException {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                out.put(f.getFileName().toString(), JSON.readTree(f.toFile()));
            }
        }
        return out;
    }

    static List<Panel> panels(String name, JsonNode dashboard) {
        List<Panel> out = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            boolean fault = p.path("description").asText().contains(FAULT_ONLY);
            for (JsonNode t : p.path("targets")) {
                out.add(new Panel(name, p.path("title").asText(), t.path("expr").asText(), fault));
            }
        }
        return out;
    }

    /**
     * Runs {@code panel}'s query with the dashboard's variables set, trying the values its
     * variable queries find (the preferred ones first) until one gives data; empty when one did,
     * else why none did.
     */
    String check(JsonNode dashboard, Panel panel, Map<String, String> preferred) {
        List<Map<String, String>> choices = choices(dashboard, preferred);
        for (Map<String, String> vars : choices) {
            String q = substitute(panel.expr(), vars);
            if (!query(q).isEmpty()) {
                return "";
            }
        }
        return panel.dashboard() + " / " + panel.title() + ": no data for " + panel.expr() + " with " + choices;
    }

    /** The variable settings to try: each variable's values, the preferred first, one variable after the other. */
    private List<Map<String, String>> choices(JsonNode dashboard, Map<String, String> preferred) {
        List<Map<String, String>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (JsonNode v : dashboard.path("templating").path("list")) {
            String name = v.path("name").asText();
            String def = v.path("definition").asText();
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> partial : out) {
                Matcher m = LABEL_VALUES.matcher(substitute(def, partial));
                if (!m.matches()) {
                    throw new AssertionError("variable " + name + " is no label_values(...) query: " + def);
                }
                List<String> values = new ArrayList<>(labelValues(m.group(1), m.group(2)));
                String p = preferred.get(name);
                if (p != null && values.remove(p)) {
                    values.add(0, p);
                }
                for (String value : values.subList(0, Math.min(4, values.size()))) {
                    Map<String, String> full = new LinkedHashMap<>(partial);
                    full.put(name, value);
                    next.add(full);
                }
            }
            out = next;
        }
        return out;
    }

    /** Grafana's variables and interval macros replaced as Grafana would for a one-hour view. */
    static String substitute(String expr, Map<String, String> vars) {
        String q = expr.replace("$__rate_interval", "1m").replace("$__interval", "30s").replace("$__range", "1h");
        Matcher m = VARIABLE.matcher(q);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, Matcher.quoteReplacement(vars.getOrDefault(m.group(1), m.group())));
        }
        m.appendTail(b);
        return b.toString();
    }

    /** Every metric name VictoriaMetrics holds, and every label set of each, kept with the test output. */
    void capture(Path file) throws IOException {
        StringBuilder b = new StringBuilder();
        Set<String> names = new LinkedHashSet<>();
        get(base + "/api/v1/label/__name__/values").path("data").forEach(n -> names.add(n.asText()));
        for (String n : names) {
            JsonNode series = get(base + "/api/v1/series?match[]=" + enc(n) + "&start=" + (System.currentTimeMillis() / 1000 - 600));
            b.append(n).append('\n');
            int shown = 0;
            for (JsonNode s : series.path("data")) {
                if (shown++ < 3) {
                    b.append("    ").append(s).append('\n');
                }
            }
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, b.toString());
    }
}

package dev.pig.cli.views;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;

import dev.pig.core.fact.FactSection;
import dev.pig.core.fact.FactsFile;
import dev.pig.core.fact.Gathered;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.plan.Masker;

/**
 * What {@code pig facts} found: a line per host and one per module section it reported, or all
 * of it as JSON with every text masked, hosts in the order asked.
 */
public final class FactsView extends View {

    public FactsView(PrintWriter out, PrintWriter err) {
        super(out, err);
    }

    public void human(List<String> hosts, Gathered g, List<FactSection<?>> sections) {
        for (String host : hosts) {
            HostFacts f = g.facts().get(host);
            if (f == null) {
                error(g.failures().get(host));
                continue;
            }
            out.println(host + ": " + f.hostname() + ", " + f.os().id() + " " + f.os().version() + " " + f.os().arch()
                    + ", " + f.cpus() + " CPU, " + (f.memory().totalKb() >> 10) + " MiB, facts " + f.fingerprint().substring(0, 12));
            for (FactSection<?> s : sections) {
                String line = f.request().sections().contains(s.name()) ? summary(s, f.extras().get(s.name())) : "";
                if (!line.isEmpty()) {
                    out.println("  " + s.name() + ": " + line);
                }
            }
        }
        out.flush();
    }

    /** What {@code pig facts -o} recorded: the file, how many hosts are in it, and each host that could not answer. */
    public void recorded(List<String> hosts, FactsFile f, java.nio.file.Path file) {
        for (String host : hosts) {
            if (f.failures().containsKey(host)) {
                error(f.failures().get(host));
            }
        }
        out.println("Recorded the facts of " + f.hosts().size() + " of " + hosts.size() + " host(s) in " + file
                + " (mode 0600); plan from them with 'pig plan --facts " + file + "'.");
        out.flush();
    }

    /**
     * What each section of the facts script cost on each host, most expensive first, then the
     * total. A check is named by its command, which may hold a secret: masked.
     */
    public void timings(List<String> hosts, Gathered g, Masker masker) {
        for (String host : hosts) {
            HostFacts f = g.facts().get(host);
            if (f == null || f.timings().isEmpty()) {
                continue;
            }
            double wall = 0;
            double cpu = 0;
            // the script's own sections add up to its wall clock and CPU: the CPU of a background
            // job counts in the section it ended in, as well as on its own line
            out.println(host + ": facts script, by section (wall, CPU; * a background job, overlapping the others):");
            List<HostFacts.SectionTiming> sorted = new java.util.ArrayList<>(f.timings());
            sorted.removeIf(t -> t.section().equals("end"));
            for (HostFacts.SectionTiming t : sorted) {
                wall += t.background() ? 0 : t.wallMillis();
                cpu += t.background() ? 0 : t.cpuMillis();
            }
            sorted.sort(java.util.Comparator.comparingDouble(HostFacts.SectionTiming::wallMillis).reversed());
            for (HostFacts.SectionTiming t : sorted) {
                out.printf("  %-40s %8.1f ms %8.1f ms%n", (t.background() ? "* " : "") + masker.mask(t.section()), t.wallMillis(), t.cpuMillis());
            }
            out.printf("  %-40s %8.1f ms %8.1f ms%n", "total", wall, cpu);
        }
        out.flush();
    }

    public void json(List<String> hosts, Gathered g, Masker masker) {
        Map<String, Object> all = new LinkedHashMap<>();
        for (String host : hosts) {
            HostFacts f = g.facts().get(host);
            if (f == null) {
                error(g.failures().get(host));
                all.put(host, Map.of("error", g.failures().get(host)));
            } else {
                all.put(host, f);
            }
        }
        out.println(maskedJson(all, masker));
        out.flush();
    }

    /**
     * The facts as JSON with every text masked: guard commands carry passwords, and file contents
     * (shown as text, not base64) may too.
     */
    static String maskedJson(Object facts, Masker masker) {
        SimpleModule texts = new SimpleModule();
        texts.addSerializer(byte[].class, new JsonSerializer<byte[]>() {
            @Override
            public void serialize(byte[] b, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeString(masker.mask(new String(b, StandardCharsets.UTF_8)));
            }
        });
        texts.addSerializer(String.class, new JsonSerializer<String>() {
            @Override
            public void serialize(String s, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeString(masker.mask(s));
            }
        });
        // what modules parse from their sections holds Optionals (a Redis instance's replica_of):
        // the value, or null
        @SuppressWarnings({"unchecked", "rawtypes"})
        Class<java.util.Optional<?>> optional = (Class) java.util.Optional.class;
        texts.addSerializer(optional, new JsonSerializer<java.util.Optional<?>>() {
            @Override
            public void serialize(java.util.Optional<?> o, JsonGenerator g, SerializerProvider p) throws IOException {
                if (o.isPresent()) {
                    p.defaultSerializeValue(o.get(), g);
                } else {
                    g.writeNull();
                }
            }
        });
        // the checks are keyed by their command
        texts.addKeySerializer(String.class, new JsonSerializer<String>() {
            @Override
            public void serialize(String s, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeFieldName(masker.mask(s));
            }
        });
        try {
            return new ObjectMapper().findAndRegisterModules().registerModule(texts)
                    .writerWithDefaultPrettyPrinter().writeValueAsString(facts);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> String summary(FactSection<T> section, Object value) {
        return value == null ? "" : section.summary((T) value);
    }
}

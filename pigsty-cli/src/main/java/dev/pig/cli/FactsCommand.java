package dev.pig.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;

import dev.pig.core.diag.PigException;
import dev.pig.core.exec.Planner;
import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.FactSection;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.ModelLoader;
import dev.pig.core.plan.Masker;
import dev.pig.core.ssh.SshTarget;
import dev.pig.core.task.Task;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code pig facts}: what pig sees on each host, gathered in one round trip per host. */
@Command(name = "facts", description = "Gather and print the facts pig plans from (one round trip per host).")
public final class FactsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    InventoryOptions inventory;

    @Mixin
    RunOptions run;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    /**
     * The facts as JSON with every text masked: guard commands carry passwords, and file contents
     * (shown as text, not base64) may too.
     */
    static String maskedJson(Object facts, Masker masker) {
        SimpleModule texts = new SimpleModule();
        texts.addSerializer(byte[].class, new JsonSerializer<byte[]>() {
            @Override
            public void serialize(byte[] b, JsonGenerator g, SerializerProvider p) throws java.io.IOException {
                g.writeString(masker.mask(new String(b, java.nio.charset.StandardCharsets.UTF_8)));
            }
        });
        texts.addSerializer(String.class, new JsonSerializer<String>() {
            @Override
            public void serialize(String s, JsonGenerator g, SerializerProvider p) throws java.io.IOException {
                g.writeString(masker.mask(s));
            }
        });
        // the checks are keyed by their command
        texts.addKeySerializer(String.class, new JsonSerializer<String>() {
            @Override
            public void serialize(String s, JsonGenerator g, SerializerProvider p) throws java.io.IOException {
                g.writeFieldName(masker.mask(s));
            }
        });
        try {
            return new ObjectMapper().findAndRegisterModules().registerModule(texts)
                    .writerWithDefaultPrettyPrinter().writeValueAsString(facts);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Integer call() {
        ModelLoader.Loaded loaded = inventory.load();
        InventoryCommand.printWarnings(spec.commandLine().getErr(), loaded);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (EngineRun r = new EngineRun(loaded, run, Set.of())) {
            Map<String, SshTarget> targets = r.deployment().targets();
            Map<SshTarget, List<Task>> work = r.deployment().work();
            List<SshTarget> hosts = new ArrayList<>();
            for (String id : run.limit == null ? targets.keySet() : work.keySet().stream().map(SshTarget::host).toList()) {
                hosts.add(targets.get(id));
            }
            Map<String, Object> all = new LinkedHashMap<>();
            int failed = 0;
            // one round trip per host, all hosts at once
            List<Object> gathered = dev.pig.core.exec.Parallel.map(hosts, run.forks, t -> {
                FactRequest req = Planner.request(work.getOrDefault(t, List.of()));
                try {
                    return r.gatherer().gather(r.connections().get(t), req, EngineRun.FACTS_TIMEOUT);
                } catch (PigException e) {
                    return e;
                }
            });
            for (int i = 0; i < hosts.size(); i++) {
                SshTarget t = hosts.get(i);
                if (gathered.get(i) instanceof HostFacts f) {
                    all.put(t.host(), f);
                    if (!json) {
                        out.println(t.host() + ": " + f.hostname() + ", " + f.os().id() + " " + f.os().version() + " " + f.os().arch()
                                + ", " + f.cpus() + " CPU, " + (f.memory().totalKb() >> 10) + " MiB, facts " + f.fingerprint().substring(0, 12));
                        for (FactSection<?> s : r.deployment().factSections()) {
                            String line = f.request().sections().contains(s.name()) ? summary(s, f.extras().get(s.name())) : "";
                            if (!line.isEmpty()) {
                                out.println("  " + s.name() + ": " + line);
                            }
                        }
                    }
                } else {
                    PigException e = (PigException) gathered.get(i);
                    failed++;
                    String message = r.deployment().masker().mask(e.getMessage());
                    err.println("Error: " + message);
                    all.put(t.host(), Map.of("error", message));
                }
            }
            if (json) {
                out.println(maskedJson(all, r.deployment().masker()));
            }
            if (failed == hosts.size() && failed > 0) {
                return ExitCodes.UNAVAILABLE;
            }
            return failed > 0 ? ExitCodes.FAILURE : ExitCodes.OK;
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> String summary(FactSection<T> section, Object value) {
        return value == null ? "" : section.summary((T) value);
    }
}

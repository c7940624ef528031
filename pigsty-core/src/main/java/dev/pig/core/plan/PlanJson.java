package dev.pig.core.plan;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.pig.core.diag.PigException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Plan files, and the JSON view of a plan. A plan file holds file contents and commands as they
 * will run, secrets included (like a Terraform plan file), so it is written with mode 0600 and
 * never printed. The view ({@code pig plan --json}) is what people and scripts read: every text
 * masked, commands as shown, no file contents; it cannot be applied.
 */
public final class PlanJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private PlanJson() {
    }

    /**
     * The plan file's JSON. A file uploaded to many hosts with the same content (a configuration
     * every node gets, the admin keys every host of an exchange authorizes) is written once, in
     * {@code contents} by its sha256, and each upload names it: the file grows with the hosts, not
     * with hosts times contents.
     */
    public static String write(Plan plan) {
        try {
            com.fasterxml.jackson.databind.node.ObjectNode tree = MAPPER.valueToTree(plan);
            com.fasterxml.jackson.databind.node.ObjectNode contents = MAPPER.createObjectNode();
            for (com.fasterxml.jackson.databind.JsonNode step : uploads(tree)) {
                com.fasterxml.jackson.databind.node.ObjectNode o = (com.fasterxml.jackson.databind.node.ObjectNode) step;
                String sha = o.path("sha256").asText();
                if (!contents.has(sha)) {
                    contents.set(sha, o.get("content"));
                }
                o.remove("content");
            }
            tree.set(CONTENTS, contents);
            return MAPPER.writeValueAsString(tree);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot serialise plan", e);
        }
    }

    static final String CONTENTS = "contents";

    /** Every upload step of a plan's JSON tree. */
    private static List<com.fasterxml.jackson.databind.JsonNode> uploads(com.fasterxml.jackson.databind.JsonNode tree) {
        List<com.fasterxml.jackson.databind.JsonNode> out = new java.util.ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode h : tree.path("hosts")) {
            for (com.fasterxml.jackson.databind.JsonNode c : h.path("changes")) {
                for (com.fasterxml.jackson.databind.JsonNode step : c.path("steps")) {
                    if (step.path("kind").asText().equals("upload")) {
                        out.add(step);
                    }
                }
            }
        }
        return out;
    }

    /** Marks the JSON view, so it is never taken for a plan file. */
    static final String VIEW_MARK = "maskedView";

    /**
     * The plan as JSON for people and scripts: the plan file's layout without the raw commands
     * ({@code shown} remains) and file contents (the {@code diff} and {@code sha256} remain), and
     * every text masked.
     */
    public static String view(Plan plan, Masker masker) {
        com.fasterxml.jackson.databind.node.ObjectNode tree = MAPPER.valueToTree(plan);
        tree.put(VIEW_MARK, true);
        tree.remove(CONTENTS);
        try {
            return MAPPER.writeValueAsString(masked(tree, masker));
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise plan", e);
        }
    }

    /** Every text of a JSON tree masked; the raw parts of steps removed. */
    private static com.fasterxml.jackson.databind.JsonNode masked(com.fasterxml.jackson.databind.JsonNode n, Masker masker) {
        if (n.isTextual()) {
            return com.fasterxml.jackson.databind.node.TextNode.valueOf(masker.mask(n.asText()));
        }
        if (n instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
            String kind = o.path("kind").asText();
            if (kind.equals("exec")) {
                o.remove("command");
            } else if (kind.equals("upload")) {
                o.remove("content");
            }
            java.util.List<String> names = new java.util.ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            for (String f : names) {
                o.set(f, masked(o.get(f), masker));
            }
            return o;
        }
        if (n instanceof com.fasterxml.jackson.databind.node.ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                a.set(i, masked(a.get(i), masker));
            }
        }
        return n;
    }

    public static Plan read(String json) {
        return read(json, "the plan");
    }

    /** Reads a plan file; {@code name} says which file in errors. */
    static Plan read(String json, String name) {
        com.fasterxml.jackson.databind.JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            var at = e.getLocation();
            throw new PigException(PigException.Kind.INVALID_INPUT, name + " is not a pig plan file: it is not JSON"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")")
                    + "\n  Save a plan with 'pig plan -o PLANFILE', then 'pig apply PLANFILE'.", e);
        }
        if (tree != null && tree.path(VIEW_MARK).asBoolean(false)) {
            throw new PigException(PigException.Kind.INVALID_INPUT, name + " is the masked view printed by 'pig plan --json', not a plan file"
                    + "\n  Save a plan with 'pig plan -o PLANFILE', then 'pig apply PLANFILE'.");
        }
        if (tree == null || !tree.isObject() || !tree.has("formatVersion") || !tree.path("hosts").isArray()) {
            throw new PigException(PigException.Kind.INVALID_INPUT, name + " is not a pig plan file: it has no 'formatVersion' and 'hosts'"
                    + "\n  Save a plan with 'pig plan -o PLANFILE', then 'pig apply PLANFILE'.");
        }
        try {
            // each upload gets its content back from the plan's pool, checked against its sha256
            com.fasterxml.jackson.databind.JsonNode contents = tree.path(CONTENTS);
            for (com.fasterxml.jackson.databind.JsonNode step : uploads(tree)) {
                com.fasterxml.jackson.databind.node.ObjectNode o = (com.fasterxml.jackson.databind.node.ObjectNode) step;
                if (!o.has("content") && contents.has(o.path("sha256").asText())) {
                    o.set("content", contents.get(o.path("sha256").asText()));
                }
                if (!o.has("content")) {
                    throw new PigException(PigException.Kind.INVALID_INPUT, name + " has an upload of " + o.path("path").asText()
                            + " without its content\n  Make the plan again with 'pig plan -o PLANFILE'.");
                }
            }
            ((com.fasterxml.jackson.databind.node.ObjectNode) tree).remove(CONTENTS);
            Plan p = MAPPER.treeToValue(tree, Plan.class);
            for (HostPlan h : p.hosts()) {
                for (Change.Act a : h.actions()) {
                    for (Step st : a.steps()) {
                        if (st instanceof Step.Upload u && !Step.Hashes.sha256(u.content()).equals(u.sha256())) {
                            throw new PigException(PigException.Kind.INVALID_INPUT, name + " has an upload of " + u.path()
                                    + " whose content does not match its sha256\n  Make the plan again with 'pig plan -o PLANFILE'.");
                        }
                    }
                }
            }
            if (p.formatVersion() != Plan.FORMAT) {
                throw new PigException(PigException.Kind.INVALID_INPUT, name + " has plan format " + p.formatVersion()
                        + ", this pig reads format " + Plan.FORMAT + "\n  Make the plan again with 'pig plan -o PLANFILE'.");
            }
            return p;
        } catch (IOException | IllegalArgumentException e) {
            throw new PigException(PigException.Kind.INVALID_INPUT, name + " is not a pig plan file of this version of pig"
                    + "\n  Make the plan again with 'pig plan -o PLANFILE'.", e);
        }
    }

    /**
     * Checks that a plan can be saved at {@code file} (its directory exists and is writable), so
     * a wrong {@code -o} is refused before any host is asked.
     */
    public static void checkWritable(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        if (Files.isDirectory(file)) {
            throw new PigException(PigException.Kind.USAGE, "cannot save the plan to " + file + ": it is a directory"
                    + "\n  Give a file name, for example -o " + file.resolve("plan.json"));
        }
        if (dir == null || !Files.isDirectory(dir)) {
            throw new PigException(PigException.Kind.USAGE, "cannot save the plan to " + file + ": directory " + dir
                    + " does not exist\n  Create it first, or save the plan elsewhere.");
        }
        if (!Files.isWritable(dir)) {
            throw new PigException(PigException.Kind.USAGE, "cannot save the plan to " + file + ": directory " + dir
                    + " is not writable");
        }
    }

    public static void save(Plan plan, Path file) {
        checkWritable(file);
        try {
            Path dir = file.toAbsolutePath().getParent();
            // created with mode 0600: the plan holds secrets as they will be sent
            Path tmp = Files.createTempFile(dir, ".plan", ".tmp");
            Files.writeString(tmp, write(plan));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new PigException(PigException.Kind.FAILED, "cannot write plan file " + file + ": " + e.getMessage(), e);
        }
    }

    public static Plan load(Path file) {
        try {
            return read(Files.readString(file), file.toString());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new PigException(PigException.Kind.USAGE, "plan file not found: " + file
                    + "\n  Save a plan with 'pig plan -o PLANFILE', then 'pig apply PLANFILE'.", e);
        } catch (IOException e) {
            throw new PigException(PigException.Kind.INVALID_INPUT, "cannot read plan file " + file + ": " + e.getMessage(), e);
        }
    }
}

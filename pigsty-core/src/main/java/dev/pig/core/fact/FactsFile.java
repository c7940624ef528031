package dev.pig.core.fact;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pig.core.diag.PigException;

/**
 * Facts recorded for planning later without reaching any host ({@code pig facts -o FILE}, then
 * {@code pig plan --facts FILE}): pig's state is its facts, as Terraform's is its state file.
 * Each host's entry is what its facts script printed and the request it answered, so a plan
 * from the file parses exactly what a plan over SSH would have; a host whose tasks now ask for
 * something the recording did not is refused by name instead of planned against "missing".
 *
 * <p>The file holds what the hosts hold (configuration files as they are, password verifiers of
 * the database catalog), so it is written with mode 0600, like a plan file.
 *
 * @param recorded when the facts were gathered (the earliest host's start)
 * @param hosts    by host, in the order they were asked
 * @param failures hosts that could not answer then, and why (masked)
 */
public record FactsFile(Instant recorded, Map<String, Entry> hosts, Map<String, String> failures) {
    /** What identifies the file; a plan file or anything else is refused by it. */
    public static final String FORMAT = "pig-facts";
    /**
     * 2: a PostgreSQL member's catalog ends with a row of its own, without which it is no answer;
     * a recording of format 1 lacks it, so it is refused and recorded again rather than read as a
     * PostgreSQL that did not answer.
     */
    public static final int VERSION = 2;

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** One host's answer: the request its script was built from and what the script printed. */
    public record Entry(FactRequest request, String output) {
    }

    public FactsFile {
        hosts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(hosts));
        failures = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(failures));
    }

    /** How old the facts are at {@code now}. */
    public Duration age(Instant now) {
        return Duration.between(recorded, now);
    }

    /** The facts as gathered, each host's output parsed with the request it answered. */
    public Gathered parse(FactGatherer gatherer) {
        // on all cores: each host's output parses alone, as it does when gathered over SSH; the
        // first host in the file that fails to parse is the one named, as one by one
        List<Map.Entry<String, Entry>> each = new ArrayList<>(hosts.entrySet());
        List<Object> parsed = each.parallelStream().map(h -> {
            try {
                return (Object) gatherer.parse(h.getKey(), h.getValue().request(), h.getValue().output());
            } catch (RuntimeException e) {
                return e;
            }
        }).toList();
        Map<String, HostFacts> facts = new LinkedHashMap<>();
        for (int i = 0; i < each.size(); i++) {
            if (parsed.get(i) instanceof RuntimeException e) {
                throw e;
            }
            facts.put(each.get(i).getKey(), (HostFacts) parsed.get(i));
        }
        return new Gathered(facts, failures);
    }

    /** The JSON form of the file. */
    private record Json(@JsonProperty("format") String format, @JsonProperty("formatVersion") int formatVersion,
                        @JsonProperty("recorded") String recorded, @JsonProperty("hosts") List<HostJson> hosts,
                        @JsonProperty("failures") Map<String, String> failures) {
    }

    private record HostJson(@JsonProperty("host") String host, @JsonProperty("request") FactRequest request,
                            @JsonProperty("output") String output) {
    }

    /**
     * Writes the file with mode 0600 (created aside, then moved into place), refusing a path
     * whose directory does not exist or is not writable before any host is asked.
     */
    public void save(Path file) {
        Path dir = checkWritable(file);
        List<HostJson> list = new ArrayList<>();
        hosts.forEach((h, e) -> list.add(new HostJson(h, e.request(), e.output())));
        try {
            Path tmp = Files.createTempFile(dir, ".facts", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                MAPPER.writeValue(tmp.toFile(), new Json(FORMAT, VERSION, recorded.toString(), list, failures));
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new PigException(PigException.Kind.FAILED, "cannot write the facts to " + file + ": " + e.getMessage(), e);
        }
    }

    /** Refuses a file name pig could not write, naming why; returns its directory. */
    public static Path checkWritable(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        if (Files.isDirectory(file)) {
            throw new PigException(PigException.Kind.USAGE, "cannot save the facts to " + file + ": it is a directory"
                    + "\n  Give a file name, for example -o " + file.resolve("facts.json"));
        }
        if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new PigException(PigException.Kind.USAGE, "cannot save the facts to " + file + ": directory " + dir
                    + (dir != null && Files.isDirectory(dir) ? " is not writable" : " does not exist")
                    + "\n  Create it first, or save the facts elsewhere.");
        }
        return dir;
    }

    /** Reads a file {@link #save} wrote; anything else is refused by name with what to do. */
    public static FactsFile load(Path file) {
        String again = "\n  Record the facts with 'pig facts -o FILE', then plan with 'pig plan --facts FILE'.";
        Json j;
        try {
            j = MAPPER.readValue(file.toFile(), Json.class);
        } catch (java.io.FileNotFoundException | java.nio.file.NoSuchFileException e) {
            throw new PigException(PigException.Kind.USAGE, "facts file not found: " + file + again, e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            var at = e.getLocation();
            throw new PigException(PigException.Kind.INVALID_INPUT, file + " is not a pig facts file: it is not JSON of this"
                    + " version of pig" + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")") + again, e);
        } catch (IOException e) {
            throw new PigException(PigException.Kind.INVALID_INPUT, "cannot read facts file " + file + ": " + e.getMessage(), e);
        }
        if (j == null || !FORMAT.equals(j.format()) || j.hosts() == null || j.recorded() == null) {
            throw new PigException(PigException.Kind.INVALID_INPUT, file + " is not a pig facts file: it has no format '"
                    + FORMAT + "', 'recorded' and 'hosts'" + again);
        }
        if (j.formatVersion() != VERSION) {
            throw new PigException(PigException.Kind.INVALID_INPUT, file + " holds facts of format " + j.formatVersion()
                    + ", this pig reads format " + VERSION + again);
        }
        Instant when;
        try {
            when = Instant.parse(j.recorded());
        } catch (java.time.format.DateTimeParseException e) {
            throw new PigException(PigException.Kind.INVALID_INPUT, file + " has no valid time in 'recorded': " + j.recorded() + again, e);
        }
        Map<String, Entry> hosts = new LinkedHashMap<>();
        for (HostJson h : j.hosts()) {
            if (h == null || h.host() == null || h.request() == null || h.output() == null || !h.output().contains(FactParsers.END)) {
                throw new PigException(PigException.Kind.INVALID_INPUT, file + " has a host entry without its host, request or"
                        + " complete output" + (h != null && h.host() != null ? " (" + h.host() + ")" : "") + again);
            }
            hosts.put(h.host(), new Entry(h.request(), h.output()));
        }
        return new FactsFile(when, hosts, j.failures() == null ? Map.of() : j.failures());
    }
}

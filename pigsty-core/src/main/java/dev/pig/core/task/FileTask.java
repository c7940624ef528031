package dev.pig.core.task;

import dev.pig.core.diag.PigException;
import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.FileState;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Step;
import dev.pig.core.plan.UnifiedDiff;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A regular file with exact content (literal or a rendered template), mode and owner. The content
 * is uploaded only when its sha256 differs from the host's; a mode or owner difference alone is
 * fixed in place.
 */
public final class FileTask extends BaseTask {
    /** Longer diffs are summed up: a plan stays readable however many hosts and lines change. */
    static final int MAX_DIFF_LINES = 300;
    private final String path;
    private final byte[] content;
    private final String mode;
    private final String owner;
    private final String group;
    private final boolean sensitive;

    /**
     * @param sensitive the content holds secrets: the host's copy is not fetched and no diff is shown
     */
    public FileTask(String path, byte[] content, String mode, String owner, String group, String tag, boolean sensitive) {
        super("file " + path, tag);
        this.path = path;
        this.content = content.clone();
        this.mode = mode == null ? "0644" : mode;
        this.owner = owner == null ? "root" : owner;
        this.group = group == null ? "root" : group;
        this.sensitive = sensitive;
    }

    public static FileTask of(String path, String content, String mode, String tag) {
        return new FileTask(path, content.getBytes(StandardCharsets.UTF_8), mode, null, null, tag, false);
    }

    public String path() {
        return path;
    }

    /** The content this task puts on the host. */
    public byte[] content() {
        return content.clone();
    }

    @Override
    public void require(FactRequest.Builder facts) {
        if (sensitive) {
            facts.files(path);
        } else {
            facts.fileWithContent(path);
        }
    }

    /**
     * The upload of the content, made once: a task planned for many hosts (a file the whole run
     * shares) hashes and holds its content once.
     */
    private volatile Step.Upload upload;
    /** Diffs already computed, by the sha256 of the host's copy: many hosts often have the same one. */
    private final java.util.concurrent.ConcurrentHashMap<String, String> diffs = new java.util.concurrent.ConcurrentHashMap<>();

    private Step.Upload upload() {
        Step.Upload u = upload;
        if (u == null) {
            u = Step.Upload.of(path, content, mode, owner, group);
            upload = u;
        }
        return u;
    }

    @Override
    public Change plan(HostFacts facts, PlanContext ctx) {
        FileState s = facts.file(path);
        Step.Upload upload = upload();
        String sha = upload.sha256();
        if (!s.exists()) {
            ctx.changed(path);
            return act(Action.CREATE, "file " + path + " (" + content.length + " bytes, " + mode + " " + owner + ":" + group + ")",
                    List.of(upload), ctx.masker().mask(diffs.computeIfAbsent("", k -> diff(new byte[0]))));
        }
        if (s.type() != FileState.Type.FILE) {
            throw new PigException(PigException.Kind.FAILED,
                    facts.host() + ": " + path + " is a " + s.type().name().toLowerCase() + ", not a file");
        }
        if (!s.sha256().equals(sha)) {
            ctx.changed(path);
            String diff = s.content() != null ? ctx.masker().mask(diffs.computeIfAbsent(s.sha256(), k -> diff(s.content())))
                    : (sensitive ? "" : "(content not fetched: larger than 64 KiB)\n");
            return act(Action.UPDATE, "file " + path + ": content (sha256 " + shortHash(s.sha256()) + " -> " + shortHash(sha) + ")",
                    List.of(upload), diff);
        }
        List<String> what = new ArrayList<>();
        if (!s.mode().equals(mode)) {
            what.add("mode " + s.mode() + " -> " + mode);
        }
        if (!s.owner().equals(owner) || !s.group().equals(group)) {
            what.add("owner " + s.owner() + ":" + s.group() + " -> " + owner + ":" + group);
        }
        if (!what.isEmpty()) {
            // written again rather than chmod/chown in place: those follow a link put there since
            // the facts were read, the safe upload does not
            return act(Action.UPDATE, "file " + path + ": " + String.join(", ", what), List.of(upload), "");
        }
        return noop("file " + path + " has the same content (sha256 " + shortHash(sha) + "), mode and owner");
    }

    /** The diff from {@code before} to the content, unmasked. */
    private String diff(byte[] before) {
        if (sensitive) {
            return "";
        }
        String a = text(before);
        String b = text(content);
        if (a == null || b == null) {
            return "(binary content differs)\n";
        }
        // a file every host of a large run changes alike (the keys of an exchange) would print its
        // diff once per host: past a screenful the plan says what changes, not how. The lines one
        // side has more of than the other are counted first, in linear time: a diff has at least
        // that many lines, so past the limit the diff itself (lines times changes) is not computed
        long[] counted = changedLines(a, b);
        if (counted[0] + counted[1] > MAX_DIFF_LINES) {
            return tooLong(counted[0], counted[1]);
        }
        String d = UnifiedDiff.diff(path, a, b);
        if (d.lines().count() > MAX_DIFF_LINES) {
            long added = d.lines().filter(l -> l.startsWith("+") && !l.startsWith("+++")).count();
            long removed = d.lines().filter(l -> l.startsWith("-") && !l.startsWith("---")).count();
            return tooLong(added, removed);
        }
        return d;
    }

    private static String tooLong(long added, long removed) {
        return "(" + added + " lines added, " + removed + " removed: too long to show; a plan saved with -o holds the content)\n";
    }

    /** How many lines {@code after} has that {@code before} has not (counting repeats), and the other way round. */
    static long[] changedLines(String before, String after) {
        java.util.Map<String, Integer> count = new java.util.HashMap<>();
        before.lines().forEach(l -> count.merge(l, 1, Integer::sum));
        long added = 0;
        for (String l : (Iterable<String>) after.lines()::iterator) {
            Integer c = count.get(l);
            if (c == null || c == 0) {
                added++;
            } else {
                count.put(l, c - 1);
            }
        }
        long removed = count.values().stream().mapToLong(Integer::longValue).sum();
        return new long[] {added, removed};
    }

    private static String text(byte[] b) {
        for (byte x : b) {
            if (x == 0) {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}

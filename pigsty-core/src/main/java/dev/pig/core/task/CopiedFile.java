package dev.pig.core.task;

import java.util.List;

import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.FileState;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Step;

/**
 * A file whose content is that of files on other hosts, concatenated: a certificate an S3 server
 * made for itself, which its clients must trust. The content is compared when the source hosts
 * are part of the run (their facts show what they hold; ask for each source with
 * {@code fileWithContent} on its host) and copied by a {@link Step.Copy} when it
 * differs; a source that does not hold its file yet makes it earlier in the same run, so the copy
 * is planned and reads it then. When a source is not in the run (a run limited with {@code -l}),
 * a file already here is kept, saying so.
 *
 * <pre>{@code
 * new CopiedFile("/etc/pki/minio.crt", List.of(new Step.Copy.Source("10.10.10.10", "/home/minio/.minio/certs/public.crt")),
 *         "0644", "root", "root", "pgbackrest_config")
 * }</pre>
 */
public final class CopiedFile extends BaseTask {
    private final String path;
    private final List<Step.Copy.Source> sources;
    private final String mode;
    private final String owner;
    private final String group;

    public CopiedFile(String path, List<Step.Copy.Source> sources, String mode, String owner, String group, String tag) {
        super("file " + path, tag);
        this.path = path;
        this.sources = List.copyOf(sources);
        this.mode = mode;
        this.owner = owner;
        this.group = group;
    }

    /** The paths a source host must report for this task to compare: add them to that host's request. */
    public List<Step.Copy.Source> sources() {
        return sources;
    }

    @Override
    public void require(FactRequest.Builder facts) {
        facts.files(path);
    }

    @Override
    public Change plan(HostFacts facts, PlanContext ctx) {
        FileState here = facts.file(path);
        Step copy = new Step.Copy(sources, path, mode, owner, group);
        java.io.ByteArrayOutputStream want = new java.io.ByteArrayOutputStream();
        for (Step.Copy.Source s : sources) {
            HostFacts there = ctx.fleet().get(s.host());
            if (there == null || !there.request().fileContents().contains(s.path())) {
                if (here.exists()) {
                    return noop("file " + path + " is kept: " + s.host() + ", which holds " + s.path() + ", is not part of this run");
                }
                ctx.changed(path);
                return act(Action.CREATE, "file " + path + " copied from " + s, List.of(copy), "");
            }
            FileState f = there.file(s.path());
            if (!f.exists() || f.content() == null) {
                ctx.changed(path);
                return act(here.exists() ? Action.UPDATE : Action.CREATE, "file " + path + " copied from " + s
                        + (f.exists() ? "" : ", which this run makes"), List.of(copy), "");
            }
            want.writeBytes(f.content());
        }
        String sha = Step.Hashes.sha256(want.toByteArray());
        String from = String.join(" + ", sources.stream().map(Object::toString).toList());
        if (!here.exists()) {
            ctx.changed(path);
            return act(Action.CREATE, "file " + path + " copied from " + from, List.of(copy), "");
        }
        if (!here.sha256().equals(sha)) {
            ctx.changed(path);
            return act(Action.UPDATE, "file " + path + ": content (sha256 " + shortHash(here.sha256()) + " -> " + shortHash(sha)
                    + ", from " + from + ")", List.of(copy), "");
        }
        if (!here.mode().equals(mode) || !here.owner().equals(owner) || !here.group().equals(group)) {
            return act(Action.UPDATE, "file " + path + ": mode or owner", List.of(copy), "");
        }
        return noop("file " + path + " has the content of " + from + " (sha256 " + shortHash(sha) + ")");
    }
}

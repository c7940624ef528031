package dev.pig.modules;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import dev.pig.core.model.ClusterModel;
import dev.pig.core.model.Node;
import dev.pig.core.pki.CertificateAuthority;
import dev.pig.core.task.FileTask;
import dev.pig.core.task.Staged;
import dev.pig.core.task.Task;
import dev.pig.core.template.Templates;

/** What a module needs to describe a host: the model, the templates, typed vars. */
public final class ModuleContext {
    /**
     * The package tasks of every module that need nothing of the run before them (NODE's,
     * INFRA's, ETCD's, MINIO's runtime and REDIS's) install on a host in one apt transaction, in
     * the first of them the run plans there: one transaction instead of one per module. REDIS's
     * masks of its packaged units move just before it (PackagesTask's {@code first}), or a boot
     * in between would start them on 6379 and 26379. PGSQL's server packages stay apart, after
     * the dbsu is made with its {@code pg_dbsu_uid}: in the host's transaction the sandbox's first
     * deploy was slower (docs/node.md).
     */
    public static final String PACKAGE_BATCH = "host";

    private final ClusterModel model;
    private final Templates templates;
    private final Set<String> removing;
    private final CertificateAuthority ca;

    /** A context whose CA is kept where {@link #caDir()} says. */
    public ModuleContext(ClusterModel model, Templates templates) {
        this(model, templates, Set.of(), CertificateAuthority.at(caDir()));
    }

    private ModuleContext(ClusterModel model, Templates templates, Set<String> removing, CertificateAuthority ca) {
        this.model = model;
        this.templates = templates;
        this.removing = Set.copyOf(removing);
        this.ca = ca;
    }

    /**
     * Where the CA is kept: {@code PIG_CA_DIR} when set (Pigsty's {@code files/pki/ca}, to go on
     * with the CA a Pigsty deployment made), else {@code ~/.pig/pki/ca}.
     */
    public static Path caDir() {
        String env = System.getenv("PIG_CA_DIR");
        return env == null || env.isBlank() ? CertificateAuthority.defaultDir() : Path.of(env);
    }

    /** The context of a removal run that removes the modules of these hosts (by id). */
    public ModuleContext removing(Set<String> hostIds) {
        return new ModuleContext(model, templates, hostIds, ca);
    }

    /**
     * The inventory's CA, made on first use when there is none and {@code ca_create} allows it
     * ({@code ca_cn} names it); {@code v} is any host's parameters, both are global.
     */
    public CertificateAuthority ca(HostVars v) {
        return ca.ensure(v.str("ca_cn"), v.bool("ca_create"));
    }

    /** The CA as it is now, without making one: for what only reads it. */
    public CertificateAuthority caAsIs() {
        return ca;
    }

    /**
     * Whether this run removes its modules from the host ({@code pig pgsql rm}): other hosts
     * may be in the run too, for what they keep of it (the infra nodes' scrape targets).
     */
    public boolean removes(String hostId) {
        return removing.contains(hostId);
    }

    public ClusterModel model() {
        return model;
    }

    public HostVars vars(Node node) {
        return new HostVars(model.varsOf(node.id()));
    }

    /** The templates of the run, built in or overridden by {@code --templates}. */
    public Templates templates() {
        return templates;
    }

    public String render(String template, Object data) {
        return templates.render(template, data);
    }

    /** A file rendered from {@code templates/<template>}. */
    public FileTask file(String path, String template, Object data, String mode, String owner, String group,
                         String tag, boolean sensitive) {
        return new FileTask(path, render(template, data).getBytes(StandardCharsets.UTF_8), mode, owner, group, tag, sensitive);
    }

    /**
     * Places a task of module {@code m} in its stage {@code n}: stages of all modules sort
     * together, module by module ({@code 30.05 etcd launch}).
     */
    public static Staged stage(PigModule m, int n, String name, Task task) {
        return Staged.of(String.format("%02d.%02d %s %s", m.order(), n, m.name(), name), task);
    }
}

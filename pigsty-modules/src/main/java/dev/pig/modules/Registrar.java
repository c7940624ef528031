package dev.pig.modules;

import java.util.List;

import dev.pig.core.model.Node;
import dev.pig.core.task.Staged;

/**
 * The module that keeps the {@link Registration}s of every {@link Registered} module on its own
 * hosts (INFRA). {@link Deployment} decides what goes where: a deploy of instances registers
 * them on every host of the registrar, whether the run selects it or not; a removal deletes what
 * no remaining instance still declares.
 */
public interface Registrar extends PigModule {

    /** The tag that selects the whole registry: {@code infra_register}. */
    String registerTag();

    /**
     * The tasks on {@code node} that write {@code entries}, each tagged as given.
     *
     * @param complete the entries are every one the inventory declares, so the registrar may also
     *                 delete entries it wrote that are no longer among them
     */
    List<Staged> register(ModuleContext ctx, Node node, List<Tagged> entries, boolean complete);

    /** The tasks on {@code node} that delete {@code gone}. */
    List<Staged> deregister(ModuleContext ctx, Node node, List<Tagged> gone);

    /** A registration with the tag of the module that declares it ({@code pg_register}). */
    record Tagged(Registration entry, String tag) {
    }
}

package dev.pig.core.inventory;

import java.util.List;
import java.util.Map;

import dev.pig.core.diag.Source;

/**
 * An Ansible group of the inventory: {@code all.children.<name>} with its {@code hosts},
 * {@code vars} and nested {@code children}. {@code depth} is 1 for a direct child of
 * {@code all}; deeper groups override the vars of the groups that contain them.
 */
public record Group(String name, Source source, int depth, Map<String, YNode.Map> hostVars,
                    Map<String, Source> hostSources, YNode.Map vars, List<String> children) {

    /** A group variable as written, or null. */
    public YNode var(String name) {
        return vars.get(name);
    }
}

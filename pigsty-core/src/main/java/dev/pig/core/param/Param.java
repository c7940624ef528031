package dev.pig.core.param;

import java.util.List;

/**
 * One parameter of the catalog.
 *
 * @param acts whether pig acts on the parameter today; a known parameter it does not act on yet
 *             is accepted with a warning
 */
public record Param(String name, Module module, String section, Level level, ParamType type,
                    List<String> values, Object defaultValue, String description, boolean acts) {

    /** The default as YAML-ish text for tables. */
    public String defaultText() {
        return ParamText.inline(defaultValue);
    }
}

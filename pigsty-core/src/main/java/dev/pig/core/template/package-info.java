/**
 * Rendering FreeMarker templates ({@code templates/<module>/*.ftl}) at plan time, strictly: a
 * missing variable is an error naming the template and line, and a user's {@code --templates DIR}
 * overrides a built-in template by relative path.
 */
package dev.pig.core.template;

/**
 * The parameter catalog: every parameter pig knows, with its module, level, type, default and
 * description, read from {@code params/*.yml} beside this package's classes. It is the one source
 * of truth for defaults, validation, {@code pig params} and {@code docs/parameters.md}.
 */
package dev.pig.core.param;

/**
 * Diagnostics: problems found in user input, each with its source position, an excerpt and what
 * to do, collected so that one run reports all of them; and {@link dev.pig.core.diag.PigException},
 * the one exception type that carries a user-facing failure up to the CLI.
 */
package dev.pig.core.diag;

/**
 * What commands print, apart from what they do, as Terraform's {@code internal/command/views}:
 * the plan as text or as JSON, apply progress and its summary, the confirmation prompt, facts.
 * Results go to stdout; warnings, errors and notes about the run to stderr. A command decides
 * what happens; a view only decides how it reads.
 */
package dev.pig.cli.views;

/**
 * The {@code pig} command line: one picocli command class per verb, thin over pigsty-modules and
 * pigsty-core. Commands print through views (human or JSON); every failure maps to an exit code
 * in {@link dev.pig.cli.ExitCodes}.
 */
package dev.pig.cli;

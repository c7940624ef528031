/**
 * Running things on hosts: the {@link dev.pig.core.exec.Planner} gathers facts and asks tasks for
 * a plan; the {@link dev.pig.core.exec.Executor} applies a plan step by step, hosts in parallel,
 * with timeouts, masking and per-host failures in one place.
 */
package dev.pig.core.exec;

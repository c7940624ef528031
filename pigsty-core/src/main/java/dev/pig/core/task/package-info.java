/**
 * Tasks: desired state of one resource (package, file, directory, symlink, user, group, systemd
 * unit, sysctl, guarded command). A task declares the facts it needs and plans a
 * {@link dev.pig.core.plan.Change} from them; it never touches a host.
 */
package dev.pig.core.task;

/**
 * Plans as data: per host, the ordered {@link dev.pig.core.plan.Change}s that tasks planned from
 * facts, each a no-op with a reason or an {@link dev.pig.core.plan.Action} with the exact remote
 * {@link dev.pig.core.plan.Step}s. A plan can be rendered for people, saved as JSON and applied
 * later. Also the unified diff and the masking of secrets in what is shown.
 */
package dev.pig.core.plan;

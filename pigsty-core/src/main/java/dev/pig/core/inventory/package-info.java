/**
 * Reading a Pigsty inventory: YAML with source positions ({@link dev.pig.core.inventory.YamlTree}),
 * Ansible's group layout ({@link dev.pig.core.inventory.Inventory}), and each host's variables
 * resolved with Ansible's precedence and a record of where every value came from
 * ({@link dev.pig.core.inventory.ResolvedVars}).
 */
package dev.pig.core.inventory;

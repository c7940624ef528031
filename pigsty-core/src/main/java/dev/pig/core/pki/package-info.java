/**
 * The inventory's certificate authority and what it issues: the CA pig makes once on the admin
 * node (Pigsty's {@code ca_create}, {@code ca_cn}) or takes from the user, the certificates it
 * signs for keys that never leave their hosts, and the parse of a certificate a host holds
 * (its names, its issuer, when it expires) that decides whether to issue it again.
 */
package dev.pig.core.pki;

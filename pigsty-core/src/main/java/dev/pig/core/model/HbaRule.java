package dev.pig.core.model;

import java.util.List;

/**
 * An entry of {@code pg_hba_rules} / {@code pg_default_hba_rules}, either in alias form or as raw
 * lines:
 *
 * <pre>
 * - { user: all, db: all, addr: intra, auth: pwd, title: 'intranet password access' }
 * - { title: 'allow x', role: primary, order: 500, rules: [ 'host all x 10.0.0.0/8 scram-sha-256' ] }
 * </pre>
 *
 * @param role on which instances the rule applies: {@code common} (all), primary, replica, offline
 * @param order rules are sorted by it (ties keep inventory order)
 */
public record HbaRule(String title, String user, String db, String addr, String auth, String role, int order,
                      List<String> rules) {
}

package dev.pig.core.model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One entry of {@code pg_default_privileges}: the {@code GRANT} part of an
 * {@code ALTER DEFAULT PRIVILEGES FOR ROLE <creator> ...} statement, read into what it grants so
 * it can be compared with {@code pg_default_acl}:
 *
 * <pre>
 * pg_default_privileges:
 *   - GRANT SELECT ON TABLES TO dbrole_readonly
 *   - GRANT USAGE, CREATE ON SCHEMAS TO dbrole_admin
 * </pre>
 *
 * @param statement  the entry as written
 * @param objtype    {@code pg_default_acl.defaclobjtype}: r tables, S sequences, f functions, T types, n schemas
 * @param privileges privilege names as {@code aclexplode} spells them (ALL expanded)
 * @param grantees   role names as the catalog has them ({@code PUBLIC} for everyone)
 */
public record DefaultPrivilege(String statement, char objtype, List<String> privileges, List<String> grantees,
                               boolean grantOption) {
    private static final Pattern FORM = Pattern.compile(
            "\\s*GRANT\\s+(.+?)\\s+ON\\s+(TABLES|SEQUENCES|FUNCTIONS|ROUTINES|TYPES|SCHEMAS)\\s+TO\\s+(.+?)(\\s+WITH\\s+GRANT\\s+OPTION)?\\s*;?\\s*",
            Pattern.CASE_INSENSITIVE);
    private static final Map<String, Character> TYPES = Map.of("TABLES", 'r', "SEQUENCES", 'S', "FUNCTIONS", 'f', "ROUTINES", 'f',
            "TYPES", 'T', "SCHEMAS", 'n');
    /** What each object type can be granted; ALL means these (MAINTAIN, PostgreSQL 17+, must be named). */
    private static final Map<Character, List<String>> ALL = Map.of(
            'r', List.of("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"),
            'S', List.of("USAGE", "SELECT", "UPDATE"),
            'f', List.of("EXECUTE"),
            'T', List.of("USAGE"),
            'n', List.of("USAGE", "CREATE"));

    /**
     * Reads one entry; throws {@link IllegalArgumentException} saying what is wrong with it.
     * Only the form {@code GRANT privileges ON type TO roles [WITH GRANT OPTION]} is taken: it is
     * the one Pigsty uses, and the one whose effect pig can compare with the catalog.
     */
    public static DefaultPrivilege parse(String statement) {
        Matcher m = FORM.matcher(statement);
        if (!m.matches()) {
            throw new IllegalArgumentException("expected 'GRANT <privileges> ON TABLES|SEQUENCES|FUNCTIONS|ROUTINES|TYPES|SCHEMAS TO <roles>'");
        }
        char type = TYPES.get(m.group(2).toUpperCase(Locale.ROOT));
        Set<String> privs = new LinkedHashSet<>();
        for (String p : m.group(1).split(",")) {
            String name = p.trim().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
            if (name.equals("ALL") || name.equals("ALL PRIVILEGES")) {
                privs.addAll(ALL.get(type));
            } else if (ALL.get(type).contains(name) || type == 'r' && name.equals("MAINTAIN")) {
                privs.add(name);
            } else {
                throw new IllegalArgumentException("'" + p.trim() + "' cannot be granted ON " + m.group(2).toUpperCase(Locale.ROOT)
                        + "; it takes " + String.join(", ", ALL.get(type)) + " or ALL");
            }
        }
        List<String> grantees = new ArrayList<>();
        for (String g : m.group(3).split(",")) {
            String name = g.trim().replaceFirst("(?i)^GROUP\\s+", "");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("a role name is missing after TO");
            }
            if (name.startsWith("\"") && name.endsWith("\"") && name.length() > 1) {
                grantees.add(name.substring(1, name.length() - 1).replace("\"\"", "\""));
            } else if (name.equalsIgnoreCase("PUBLIC")) {
                grantees.add("PUBLIC");
            } else if (name.matches("[A-Za-z_][A-Za-z0-9_$]*")) {
                grantees.add(name.toLowerCase(Locale.ROOT)); // unquoted names fold to lower case
            } else {
                throw new IllegalArgumentException("'" + name + "' is not a role name; quote names with other characters: \"" + name + "\"");
            }
        }
        return new DefaultPrivilege(statement.trim().replaceFirst(";$", ""), type, List.copyOf(privs), List.copyOf(grantees),
                m.group(4) != null);
    }
}

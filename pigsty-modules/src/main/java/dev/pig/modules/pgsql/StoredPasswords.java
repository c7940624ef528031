package dev.pig.modules.pgsql;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.pig.core.fact.FactSection;

/**
 * The password verifiers the local PostgreSQL stores for its login roles, read on any running
 * member (a replica has the primary's catalog), so PgBouncer's userlist on every member holds
 * what the server will check. Empty when PostgreSQL does not run here.
 */
public final class StoredPasswords implements FactSection<Map<String, String>> {
    private final String cluster;
    private final String script;

    public StoredPasswords(String cluster, String dbsu, String socketDir, int port) {
        this.cluster = cluster;
        this.script = "command -v psql >/dev/null 2>&1 || exit 0\n"
                + "id " + dbsu + " >/dev/null 2>&1 || exit 0\n"
                + "cd /tmp\n"
                + "su -s /bin/sh " + dbsu + " -c \"psql -h " + socketDir + " -p " + port + " -d postgres -AtXq -F '|'"
                + " -c \\\"SELECT 'pw', rolname, rolpassword FROM pg_authid WHERE rolcanlogin AND rolpassword IS NOT NULL\\\"\""
                + " 2>/dev/null; true\n";
    }

    public static String nameOf(String cluster) {
        return "pgsql.passwords." + cluster;
    }

    @Override
    public String name() {
        return nameOf(cluster);
    }

    @Override
    public String script() {
        return script;
    }

    @Override
    public Map<String, String> parse(String output) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            String[] f = line.split("\\|", 3);
            if (f.length == 3 && f[0].equals("pw")) {
                out.put(f[1], f[2].strip());
            }
        }
        return Map.copyOf(out);
    }
}

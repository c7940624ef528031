package dev.pig.core.fact;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pure parsers, one per section of the facts script's output. Each takes the text of its section
 * and knows nothing about hosts or transports, so each is tested on captured output.
 */
public final class FactParsers {
    /** Marks the start of a section in the script's output. */
    public static final String SECTION = "@@pig:section ";
    /** The script's last line; its absence means the output was cut short. */
    public static final String END = "@@pig:end";

    private FactParsers() {
    }

    /** Splits the script output into its sections, in order. Lines before the first marker are dropped. */
    public static Map<String, String> sections(String output) {
        Map<String, String> out = new LinkedHashMap<>();
        String name = null;
        StringBuilder body = new StringBuilder();
        for (String line : output.split("\n", -1)) {
            if (line.startsWith(SECTION) || line.equals(END)) {
                if (name != null) {
                    out.put(name, body.toString());
                }
                name = line.equals(END) ? null : line.substring(SECTION.length()).strip();
                body.setLength(0);
            } else if (name != null) {
                body.append(line).append('\n');
            }
        }
        if (name != null) {
            out.put(name, body.toString());
        }
        return out;
    }

    public static OsInfo os(String s) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String line : lines(s)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                kv.put(line.substring(0, eq), unquote(line.substring(eq + 1)));
            }
        }
        String like = kv.getOrDefault("ID_LIKE", "").strip();
        return new OsInfo(kv.getOrDefault("ID", "unknown"), like.isEmpty() ? List.of() : Arrays.asList(like.split("\\s+")),
                kv.getOrDefault("VERSION_ID", ""), kv.getOrDefault("VERSION_CODENAME", ""),
                kv.getOrDefault("PRETTY_NAME", ""), kv.getOrDefault("PIG_ARCH", ""), kv.getOrDefault("PIG_KERNEL", ""),
                "yes".equals(kv.get("PIG_SYSTEMD")));
    }

    public static String hostname(String s) {
        return s.strip();
    }

    public static int cpus(String s) {
        String t = s.strip();
        return t.isEmpty() ? 0 : Integer.parseInt(t.lines().findFirst().orElse("0").strip());
    }

    public static MemoryInfo memory(String s) {
        long total = 0;
        long avail = 0;
        long swap = 0;
        for (String line : lines(s)) {
            String[] f = line.split("\\s+");
            if (f.length < 2) {
                continue;
            }
            long v = Long.parseLong(f[1]);
            switch (f[0]) {
                case "MemTotal:" -> total = v;
                case "MemAvailable:" -> avail = v;
                case "SwapTotal:" -> swap = v;
                default -> { }
            }
        }
        return new MemoryInfo(total, avail, swap);
    }

    public static List<Disk> disks(String s) {
        List<Disk> out = new ArrayList<>();
        for (String line : lines(s)) {
            String[] f = line.strip().split("\\s+", 6);
            if (f.length < 6 || !f[1].matches("\\d+")) {
                continue; // the header, or a line df wrapped
            }
            out.add(new Disk(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), f[5]));
        }
        return List.copyOf(out);
    }

    public static double uptime(String s) {
        String t = s.strip();
        return t.isEmpty() ? 0 : Double.parseDouble(t);
    }

    public static Map<String, PackageState> packages(String s) {
        Map<String, PackageState> out = new LinkedHashMap<>();
        for (String line : lines(s)) {
            String[] f = line.split("\t", -1);
            String status = f.length > 1 ? f[1].strip() : "absent";
            String version = f.length > 2 ? f[2].strip() : "";
            // dpkg: first letter is the wanted state, second the current one; "i" = installed
            // ("hi" when held). A removed package with config left over is "rc" and counts as absent.
            boolean installed = status.length() >= 2 && status.charAt(1) == 'i';
            out.put(f[0], new PackageState(f[0], installed, installed ? version : "", installed || f.length < 4 ? "" : f[3].strip()));
        }
        return out;
    }

    public static Map<String, UnitState> units(String s) {
        Map<String, UnitState> out = new LinkedHashMap<>();
        String name = null;
        Map<String, String> kv = new LinkedHashMap<>();
        for (String line : (s + "@@unit \n").split("\n")) {
            if (line.startsWith("@@unit ")) {
                if (name != null) {
                    out.put(name, unit(name, kv));
                }
                name = line.substring(7).strip();
                kv.clear();
                if (name.isEmpty()) {
                    name = null;
                }
            } else {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    kv.put(line.substring(0, eq), line.substring(eq + 1).strip());
                }
            }
        }
        return out;
    }

    private static UnitState unit(String name, Map<String, String> kv) {
        if (!kv.containsKey("LoadState")) {
            return UnitState.notFound(name); // systemd not running, or systemctl refused
        }
        return new UnitState(name, kv.get("LoadState"), kv.getOrDefault("ActiveState", "inactive"),
                kv.getOrDefault("SubState", ""), kv.getOrDefault("UnitFileState", ""),
                num(kv.get("ActiveEnterTimestampMonotonic")), num(kv.get("MainPID")));
    }

    /**
     * The {@code files} section: a line per path, then the contents asked for, either all in one
     * tar archive ({@code @@tar BASE64}, what the facts script sends) or each after its path's line
     * ({@code @@content BASE64}, as hand-written facts have them).
     */
    public static Map<String, FileState> files(String s) {
        Map<String, FileState> out = new LinkedHashMap<>();
        FileState last = null;
        for (String line : lines(s)) {
            if (line.startsWith("@@tar ")) {
                TarContents.read(Base64.getDecoder().decode(line.substring(6).strip())).forEach((path, content) -> {
                    FileState f = out.get(path);
                    if (f != null && f.type() == FileState.Type.FILE) {
                        out.put(path, new FileState(f.path(), f.type(), f.mode(), f.owner(), f.group(), f.size(), f.sha256(), f.link(),
                                content));
                    }
                });
                last = null;
                continue;
            }
            if (line.startsWith("@@content ")) {
                if (last != null) {
                    byte[] content = Base64.getDecoder().decode(line.substring(10).strip());
                    last = new FileState(last.path(), last.type(), last.mode(), last.owner(), last.group(), last.size(),
                            last.sha256(), last.link(), content);
                    out.put(last.path(), last);
                }
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length < 2) {
                continue;
            }
            FileState.Type type = switch (f[1]) {
                case "file" -> FileState.Type.FILE;
                case "dir" -> FileState.Type.DIRECTORY;
                case "link" -> FileState.Type.SYMLINK;
                case "missing" -> FileState.Type.MISSING;
                default -> FileState.Type.OTHER;
            };
            if (type == FileState.Type.MISSING) {
                last = FileState.missing(f[0]);
            } else {
                last = new FileState(f[0], type, mode(field(f, 2)), field(f, 3), field(f, 4), num(field(f, 5)),
                        field(f, 6), field(f, 7), null);
            }
            out.put(f[0], last);
        }
        return out;
    }

    public static Map<String, UserEntry> users(String s) {
        Map<String, UserEntry> out = new LinkedHashMap<>();
        for (String line : lines(s)) {
            String[] f = line.split(":", -1);
            if (f.length >= 7) {
                out.put(f[0], new UserEntry(f[0], Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[4], f[5], f[6]));
            }
        }
        return out;
    }

    public static Map<String, GroupEntry> groups(String s) {
        Map<String, GroupEntry> out = new LinkedHashMap<>();
        for (String line : lines(s)) {
            String[] f = line.split(":", -1);
            if (f.length >= 4) {
                List<String> members = f[3].isEmpty() ? List.of() : Arrays.asList(f[3].split(","));
                out.put(f[0], new GroupEntry(f[0], Integer.parseInt(f[2]), members));
            }
        }
        return out;
    }

    /** Values with several fields ({@code net.ipv4.tcp_rmem}) come back with single spaces, as {@code sysctl -w} takes them. */
    public static Map<String, String> sysctls(String s) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : lines(s)) {
            String[] f = line.split("\t", 3);
            if (f.length == 3 && f[1].equals("ok")) {
                out.put(f[0], normalizeSysctl(f[2]));
            }
        }
        return out;
    }

    /** Exit codes of the guard commands, matched to the request by position. */
    public static Map<String, Integer> checks(List<String> requested, String s) {
        Map<String, Integer> out = new LinkedHashMap<>();
        List<String> codes = lines(s);
        for (int i = 0; i < requested.size() && i < codes.size(); i++) {
            out.put(requested.get(i), Integer.parseInt(codes.get(i).strip()));
        }
        return out;
    }

    /** The form in which sysctl values are compared. */
    public static String normalizeSysctl(String v) {
        return v.strip().replaceAll("\\s+", " ");
    }

    private static List<String> lines(String s) {
        return s.lines().filter(l -> !l.isBlank()).toList();
    }

    private static String field(String[] f, int i) {
        return i < f.length ? f[i] : "";
    }

    private static String mode(String m) {
        if (m.isEmpty()) {
            return "";
        }
        return "0".repeat(Math.max(0, 4 - m.length())) + m;
    }

    private static long num(String s) {
        if (s == null || s.isBlank()) {
            return 0;
        }
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String unquote(String v) {
        String t = v.strip();
        if (t.length() >= 2 && (t.startsWith("\"") && t.endsWith("\"") || t.startsWith("'") && t.endsWith("'"))) {
            return t.substring(1, t.length() - 1);
        }
        return t;
    }

    /**
     * The section times of {@code pig facts --timing}: lines {@code NAME NANOS U S CU CS} where the
     * last four are what {@code times} prints (shell and children, user and system, as
     * {@code 0m0.010000s}); each section's cost is the difference to the next line. Lines
     * {@code @job LABEL START END U S CU CS} are the background jobs (checks and module sections),
     * each with its own wall clock and CPU, overlapping the others.
     */
    static List<HostFacts.SectionTiming> timings(String section) {
        List<HostFacts.SectionTiming> out = new java.util.ArrayList<>();
        String prevName = null;
        long prevNanos = 0;
        double prevCpu = 0;
        List<HostFacts.SectionTiming> jobs = new java.util.ArrayList<>();
        for (String line : section.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f[0].equals("@job") && f.length >= 8) {
                // a background job: its label, start, end and its own times
                try {
                    double cpu = 0;
                    for (int k = 4; k < 8; k++) {
                        cpu += seconds(f[k]);
                    }
                    jobs.add(new HostFacts.SectionTiming(f[1], (Long.parseLong(f[3]) - Long.parseLong(f[2])) / 1e6, cpu * 1000, true));
                } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                    // a line cut short
                }
                continue;
            }
            if (f.length < 6) {
                continue;
            }
            long nanos;
            double cpu = 0;
            try {
                nanos = Long.parseLong(f[1]);
                for (int k = 2; k < 6; k++) {
                    cpu += seconds(f[k]);
                }
            } catch (NumberFormatException e) {
                continue;
            }
            if (prevName != null) {
                out.add(new HostFacts.SectionTiming(f[0], (nanos - prevNanos) / 1e6, (cpu - prevCpu) * 1000, false));
            }
            prevName = f[0];
            prevNanos = nanos;
            prevCpu = cpu;
        }
        out.addAll(jobs);
        return out;
    }

    /** {@code 0m0.010000s} as seconds. */
    private static double seconds(String times) {
        int m = times.indexOf('m');
        return Double.parseDouble(times.substring(0, m)) * 60 + Double.parseDouble(times.substring(m + 1, times.length() - 1));
    }
}

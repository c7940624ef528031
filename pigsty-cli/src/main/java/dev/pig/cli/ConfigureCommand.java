package dev.pig.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.pig.core.diag.PigException;
import dev.pig.core.model.ModelLoader;
import dev.pig.core.model.Net;
import dev.pig.core.os.OsRelease;
import dev.pig.core.os.OsReleases;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code pig configure}: writes a {@code pigsty.yml} for this machine from a built-in template,
 * as Pigsty's {@code ./configure} does. The templates are valid inventories for the placeholder
 * node 10.10.10.10 with sample passwords; configure puts in this machine's address, the
 * PostgreSQL version its OS ships and, with {@code -g}, a new random password for each sample.
 */
@Command(name = "configure", description = "Write pigsty.yml for this machine from a built-in template "
        + "(meta, rich, trio, full, safe).")
public final class ConfigureCommand implements Callable<Integer> {
    /** The built-in templates, in the order they are listed. */
    static final List<String> TEMPLATES = List.of("meta", "rich", "trio", "full", "safe");
    private static final Pattern PLACEHOLDER_IP = Pattern.compile("(?<![0-9.])10\\.10\\.10\\.10(?![0-9])");
    private static final Pattern PG_VERSION = Pattern.compile("(?m)^(\\s*pg_version:\\s*)\\d+");
    private static final Pattern PASSWORD = Pattern.compile("(?m)(^|[\\s{,])((?:[a-z_]+_)?password)(\\s*:\\s*)([^\\s,}#]+)");
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--conf"}, paramLabel = "TEMPLATE", defaultValue = "meta", completionCandidates = Templates.class,
            description = "Template: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    String template;

    @Option(names = {"-i", "--ip"}, paramLabel = "IP",
            description = "This node's address (default: the address of the interface with the default route).")
    String ip;

    @Option(names = {"-v", "--version"}, paramLabel = "VERSION",
            description = "PostgreSQL major version (default: the one the OS ships: 15 on Debian 12, 17 on Debian 13).")
    Integer pgVersion;

    @Option(names = {"-g", "--generate"}, description = "Replace every sample password with a new random one.")
    boolean generate;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = "pigsty.yml",
            description = "File to write (default: ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--force", description = "Overwrite the file if it exists.")
    boolean force;

    @Option(names = "--os-release", hidden = true, defaultValue = "/etc/os-release")
    Path osRelease;

    @Option(names = "--route-table", hidden = true, defaultValue = "/proc/net/route")
    Path routeTable;

    /** Template names for completion and the help text. */
    static final class Templates implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return TEMPLATES.iterator();
        }
    }

    @Override
    public Integer call() throws IOException {
        if (!TEMPLATES.contains(template)) {
            throw new PigException(PigException.Kind.USAGE, "no template named '" + template + "'\n  Templates: "
                    + String.join(", ", TEMPLATES));
        }
        if (Files.exists(output) && !force) {
            throw new PigException(PigException.Kind.USAGE, output + " exists; pig configure does not overwrite it.\n"
                    + "  Add --force to replace it, or write elsewhere with -o FILE.");
        }
        String address = ip != null ? ip : primaryAddress(routeTable).orElseThrow(() -> new PigException(PigException.Kind.USAGE,
                "cannot tell this machine's primary address (no default route with an IPv4 address)\n  Give it with -i IP."));
        if (!Net.isIp(address)) {
            throw new PigException(PigException.Kind.USAGE, "'" + address + "' is not an IPv4 address");
        }
        PrintWriter out = spec.commandLine().getOut();
        Optional<OsRelease> release = osRelease(osRelease);
        int version;
        String versionWhy;
        if (pgVersion != null) {
            version = pgVersion;
            versionWhy = "-v";
        } else if (release.isPresent()) {
            version = release.get().pg();
            versionWhy = "Debian " + release.get().debian() + " ships it";
        } else {
            version = 15;
            versionWhy = "the template's; this OS is not Debian 12 or 13, choose with -v";
        }
        String text = render(template(template), address, version, generate ? new SecureRandom() : null);
        write(output, text);
        try {
            ModelLoader.load(output, List.of());
        } catch (dev.pig.core.diag.InvalidInputException e) {
            throw new IllegalStateException("template " + template + " rendered an invalid inventory:\n" + e.getMessage(), e);
        }
        out.println("Wrote " + output + " from template '" + template + "': node " + address + ", PostgreSQL " + version
                + " (" + versionWhy + ")" + (generate ? ", new random passwords" : ", sample passwords (-g generates new ones)") + ".");
        out.println("Next: review it, then 'pig deploy" + (output.toString().equals("pigsty.yml") ? "" : " -i " + output) + "'.");
        return ExitCodes.OK;
    }

    static String template(String name) {
        try (InputStream in = ConfigureCommand.class.getResourceAsStream("configure/" + name + ".yml")) {
            if (in == null) {
                throw new IllegalStateException("template " + name + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A template with this node's address, the PostgreSQL version, and (when {@code random} is
     * given) each distinct sample password replaced by one new password wherever it appears, so
     * values that must match stay matched.
     */
    static String render(String template, String address, int version, SecureRandom random) {
        String text = PLACEHOLDER_IP.matcher(template).replaceAll(Matcher.quoteReplacement(address));
        text = PG_VERSION.matcher(text).replaceAll("$1" + version);
        if (random == null) {
            return text;
        }
        Map<String, String> replaced = new LinkedHashMap<>();
        Matcher m = PASSWORD.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String fresh = replaced.computeIfAbsent(m.group(4), k -> password(random));
            m.appendReplacement(b, Matcher.quoteReplacement(m.group(1) + m.group(2) + m.group(3) + fresh));
        }
        m.appendTail(b);
        return b.toString();
    }

    private static String password(SecureRandom random) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    /** Writes through a new file beside the target, readable by its owner only: it holds passwords. */
    private static void write(Path target, String text) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + abs.getFileName() + ".pig-" + Long.toHexString(System.nanoTime()));
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException | FileAlreadyExistsException e) {
            Files.createFile(tmp);
        }
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The release named by an os-release file, when pig has package data for it. */
    static Optional<OsRelease> osRelease(Path file) {
        try {
            return parseOsRelease(Files.readString(file));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static Optional<OsRelease> parseOsRelease(String text) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                kv.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim().replaceAll("^\"|\"$", ""));
            }
        }
        if (!"debian".equals(kv.get("ID"))) {
            return Optional.empty();
        }
        Map<String, OsRelease> releases = OsReleases.builtIn().all();
        String codename = kv.getOrDefault("VERSION_CODENAME", "");
        if (releases.containsKey(codename)) {
            return Optional.of(releases.get(codename));
        }
        return releases.values().stream().filter(r -> String.valueOf(r.debian()).equals(kv.get("VERSION_ID"))).findFirst();
    }

    /** The IPv4 address of the interface that carries the default route. */
    static Optional<String> primaryAddress(Path routeTable) {
        try {
            Optional<String> iface = defaultRouteInterface(Files.readString(routeTable));
            if (iface.isEmpty()) {
                return Optional.empty();
            }
            NetworkInterface ni = NetworkInterface.getByName(iface.get());
            if (ni == null) {
                return Optional.empty();
            }
            List<InetAddress> addrs = new ArrayList<>(Collections.list(ni.getInetAddresses()));
            return addrs.stream().filter(a -> a instanceof Inet4Address).map(InetAddress::getHostAddress).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The interface of the default route in /proc/net/route (destination and mask 0). */
    static Optional<String> defaultRouteInterface(String routeTable) {
        for (String line : routeTable.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 7 && f[1].equals("00000000") && f[7].equals("00000000")) {
                return Optional.of(f[0]);
            }
        }
        return Optional.empty();
    }
}

package dev.pig.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import dev.pig.core.diag.PigException;
import dev.pig.core.model.ClusterModel;
import dev.pig.core.param.ParamCatalog;
import dev.pig.core.pki.Certificate;
import dev.pig.core.pki.CertificateAuthority;
import dev.pig.core.model.Net;
import dev.pig.modules.ModuleContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code pig cert ca|issue}: the inventory's CA, and certificates it issues for applications
 * (Pigsty's {@code cert.yml}). The CA is kept in {@code ~/.pig/pki/ca} ({@code PIG_CA_DIR} to use
 * another, like Pigsty's {@code files/pki/ca}); issued files go beside it, in {@code misc}.
 */
@Command(name = "cert", description = "The inventory's CA, and certificates it issues for applications.",
        subcommands = {CertCommand.CaCommand.class, CertCommand.IssueCommand.class})
public final class CertCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The CA of the inventory's {@code ca_cn} and {@code ca_create}, made now when there is none and that allows it. */
    static CertificateAuthority ca(ClusterModel model) {
        return CertificateAuthority.at(ModuleContext.caDir()).ensure(String.valueOf(global(model, "ca_cn")),
                Boolean.TRUE.equals(global(model, "ca_create")));
    }

    /** A global parameter: the inventory's value on any host, else the catalog's default. */
    static Object global(ClusterModel model, String name) {
        if (!model.nodes().isEmpty()) {
            return model.value(model.nodes().get(0).id(), name);
        }
        return ParamCatalog.builtIn().find(name).orElseThrow().defaultValue();
    }

    /** {@code pig cert ca}: where the CA is, its name and when it expires; made first if there is none. */
    @Command(name = "ca", description = "Show the CA (made first when there is none and ca_create is true): where it is kept, its"
            + " name, when it expires; --pem prints its certificate.")
    static final class CaCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        InventoryOptions inventory;

        @Option(names = "--pem", description = "Print the CA's certificate (PEM), what clients trust.")
        boolean pem;

        @Override
        public Integer call() {
            CertificateAuthority ca = ca(inventory.load().model());
            PrintWriter out = spec.commandLine().getOut();
            if (pem) {
                out.print(new String(ca.pem(), java.nio.charset.StandardCharsets.US_ASCII));
                return ExitCodes.OK;
            }
            out.println("CA " + ca.name() + " in " + ca.dir() + " (" + CertificateAuthority.CRT + ", " + CertificateAuthority.KEY + ")");
            out.println("  expires " + ca.certificate().expires() + "; on every node as " + CertificateAuthority.ON_NODES
                    + " and in its trust store (node_ca)");
            return ExitCodes.OK;
        }
    }

    /** {@code pig cert issue NAME --san ...}: a key and a certificate of the CA for an application. */
    @Command(name = "issue", description = "Issue a key and a certificate of the CA for an application (Pigsty's cert.yml):"
            + " NAME.key (0600) and NAME.crt, written to the directory of -o.")
    static final class IssueCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        InventoryOptions inventory;

        @Parameters(index = "0", paramLabel = "NAME", description = "The certificate's common name and file name.")
        String name;

        @Option(names = "--san", paramLabel = "NAME", description = "A subject alternative name: DNS:host, IP:address, or a bare"
                + " host name or address; repeat it. Default: NAME.")
        List<String> sans = new ArrayList<>();

        @Option(names = "--days", paramLabel = "N", description = "Lifetime in days. Default: the inventory's cert_validity.")
        Integer days;

        @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "Where the files go. Default: misc beside the CA"
                + " (~/.pig/pki/misc).")
        Path out;

        @Override
        public Integer call() {
            ClusterModel model = inventory.load().model();
            // etcd (client-cert-auth) takes a certificate's common name as the user of a request without a password
            java.util.Set<String> etcdUsers = new java.util.TreeSet<>();
            model.etcd().ifPresent(e -> {
                etcdUsers.add("root");
                model.pgClusters().forEach(c -> etcdUsers.add(c.name()));
            });
            if (etcdUsers.contains(name)) {
                throw new PigException(PigException.Kind.USAGE, name + " is the name of an etcd user of this inventory: etcd takes a"
                        + " certificate's name as the user of a request without a password, so this certificate would act as " + name
                        + " in etcd; issue it under another NAME and give the host names with --san");
            }
            CertificateAuthority ca = ca(model);
            List<String> names = new ArrayList<>();
            for (String s : sans.isEmpty() ? List.of(name) : sans) {
                names.add(s.startsWith("DNS:") || s.startsWith("IP:") ? s : (Net.isIp(s) ? "IP:" : "DNS:") + s);
            }
            try {
                names = Certificate.normalize(names);
            } catch (IllegalArgumentException e) {
                throw new PigException(PigException.Kind.USAGE, e.getMessage());
            }
            int lifetime = days != null ? days : CertificateAuthority.days(global(model, "cert_validity"));
            if (lifetime < 1) {
                throw new PigException(PigException.Kind.USAGE, "--days must be 1 or more");
            }
            Path dir = out != null ? out : ca.dir().resolveSibling("misc");
            Path crt = ca.issue(name, names, lifetime, dir);
            Certificate c = Certificate.parse(readAll(crt)).orElseThrow();
            spec.commandLine().getOut().println("issued " + crt + " (key " + dir.resolve(name + ".key") + ") by CA " + ca.name()
                    + " for " + String.join(",", c.names()) + ", expires " + c.expires());
            return ExitCodes.OK;
        }

        private static byte[] readAll(Path p) {
            try {
                return java.nio.file.Files.readAllBytes(p);
            } catch (java.io.IOException e) {
                throw new PigException(PigException.Kind.FAILED, "cannot read " + p + ": " + e.getMessage(), e);
            }
        }
    }
}

package dev.pig.sandbox;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.pig.core.diag.PigException;
import dev.pig.sandbox.system.HostFiles;
import dev.pig.sandbox.system.Procs;
import dev.pig.sandbox.system.Tools;

/**
 * The nodes' only way to the package archive: a tinyproxy of the sandbox's own on the bridge
 * address, with its configuration, PID and logs in one directory.
 */
final class PackageProxy {
    private final Path dir;

    /** The proxy whose files are in {@code dir}. */
    PackageProxy(Path dir) {
        this.dir = dir;
    }

    /** Starts the proxy unless it already runs with the configuration this network needs. */
    void ensure(SandboxNetwork net, List<String> changes) throws IOException {
        Files.createDirectories(dir);
        Path conf = dir.resolve("tinyproxy.conf");
        String text = "# written by pig sandbox: the nodes' only way to the package archive\n"
                + "Port " + SandboxNetwork.PROXY_PORT + "\n"
                + "Listen " + net.bridgeIp() + "\n"
                + "Timeout 600\n"
                + "MaxClients 100\n"
                + "Allow " + net.cidr() + "\n"
                + "DisableViaHeader Yes\n"
                + "LogFile \"" + dir.resolve("tinyproxy.log") + "\"\n"
                + "LogLevel Notice\n";
        Optional<Long> pid = Procs.recorded(dir.resolve("tinyproxy.pid"), conf.toString());
        boolean same = Files.isRegularFile(conf) && Files.readString(conf).equals(text);
        if (pid.isPresent() && same && portOpen(net.bridgeIp(), SandboxNetwork.PROXY_PORT)) {
            return;
        }
        stop();
        if (portOpen(net.bridgeIp(), SandboxNetwork.PROXY_PORT)) {
            // ours is stopped, so another program answers there, and the nodes would get its replies
            throw new PigException(PigException.Kind.UNAVAILABLE, "port " + SandboxNetwork.PROXY_PORT + " on "
                    + net.bridgeIp() + ", where the nodes' package proxy must listen, is taken by another program"
                    + " (the system's tinyproxy, most often: systemctl disable --now tinyproxy). Find it with: ss -ltnp"
                    + " 'sport = :" + SandboxNetwork.PROXY_PORT + "'");
        }
        Files.writeString(conf, text);
        Process p = new ProcessBuilder("setsid", "tinyproxy", "-d", "-c", conf.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(dir.resolve("tinyproxy.out").toFile())
                .redirectErrorStream(true)
                .start();
        Files.writeString(dir.resolve("tinyproxy.pid"), p.pid() + "\n");
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!portOpen(net.bridgeIp(), SandboxNetwork.PROXY_PORT)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new PigException(PigException.Kind.FAILED, "the package proxy (tinyproxy) did not start on "
                        + net.bridgeIp() + ":" + SandboxNetwork.PROXY_PORT + "; is another proxy using port "
                        + SandboxNetwork.PROXY_PORT + "? (Debian's own: systemctl disable --now tinyproxy)\n"
                        + HostFiles.tailOf(dir.resolve("tinyproxy.out")) + "\n" + HostFiles.tailOf(dir.resolve("tinyproxy.log")));
            }
            Tools.sleep(100);
        }
        changes.add("started package proxy on " + net.proxyUrl());
    }

    /** Stops the proxy, found by its recorded PID or by its command line; returns whether one ran. */
    boolean stop() {
        List<Long> pids = new ArrayList<>(Procs.find("tinyproxy", dir.toString()));
        Procs.recorded(dir.resolve("tinyproxy.pid"), dir.toString())
                .filter(p -> !pids.contains(p)).ifPresent(pids::add);
        Procs.stop(pids);
        try {
            Files.deleteIfExists(dir.resolve("tinyproxy.pid"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return !pids.isEmpty();
    }

    private static boolean portOpen(String ip, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ip, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

package dev.pig.sandbox.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.pig.core.diag.PigException;
import dev.pig.sandbox.Sandbox;

class HostCheckTest {
    static HostCheck linuxRootWithout(String... missing) {
        return new HostCheck("Linux", 0, t -> !Set.of(missing).contains(t));
    }

    static String refusal(HostCheck h, List<String> tools) {
        PigException e = assertThrows(PigException.class, () -> h.require(tools));
        assertEquals(PigException.Kind.UNAVAILABLE, e.kind());
        return e.getMessage();
    }

    @Test
    void a_linux_root_with_every_tool_passes() {
        linuxRootWithout().require(Sandbox.UP_TOOLS);
        assertEquals(List.of(), linuxRootWithout().installSteps(Sandbox.UP_TOOLS));
    }

    @Test
    void another_os_is_refused_without_talk_of_packages() {
        String m = refusal(new HostCheck("Mac OS X", 501, t -> false), Sandbox.UP_TOOLS);
        assertEquals("the sandbox needs Linux (systemd-nspawn, network namespaces, overlayfs); this is Mac OS X."
                + " Run pig sandbox on a Debian 12 machine or VM.", m);
    }

    @Test
    void a_missing_tool_is_named_with_the_package_that_has_it() {
        assertEquals("the sandbox needs systemd-nspawn, ssh-keygen, which are not installed. Fix: apt-get install -y"
                + " systemd-container openssh-client (or run: pig sandbox up --install-deps)",
                refusal(linuxRootWithout("systemd-nspawn", "ssh-keygen"), Sandbox.UP_TOOLS));
    }

    @Test
    void a_normal_user_missing_tools_hears_both_and_gets_a_sudo_fix() {
        String m = refusal(new HostCheck("Linux", 1000, t -> !t.equals("tinyproxy")), Sandbox.UP_TOOLS);
        assertEquals("the sandbox needs root (it mounts overlays, creates network namespaces and boots containers)."
                + " Run it as root, e.g. sudo pig sandbox ...\n"
                + "Error: the sandbox needs tinyproxy, which is not installed. Fix: sudo apt-get install -y tinyproxy"
                + " (or run: pig sandbox up --install-deps)", m);
    }

    @Test
    void an_unknown_uid_counts_as_not_root() {
        assertTrue(refusal(new HostCheck("Linux", -1, t -> true), List.of()).startsWith("the sandbox needs root"));
    }

    @Test
    void install_deps_updates_the_package_lists_before_installing_only_what_is_missing() {
        assertEquals(List.of(
                        List.of("apt-get", "update"),
                        List.of("apt-get", "install", "-y", "debootstrap", "tinyproxy", "openssh-client")),
                linuxRootWithout("debootstrap", "tinyproxy", "ssh", "ssh-keygen").installSteps(Sandbox.UP_TOOLS));
    }

    @Test
    void install_deps_refuses_a_normal_user_before_running_anything() {
        HostCheck user = new HostCheck("Linux", 1000, t -> !t.equals("debootstrap"));
        PigException e = assertThrows(PigException.class, () -> user.installSteps(Sandbox.UP_TOOLS));
        assertTrue(e.getMessage().startsWith("the sandbox needs root"), e.getMessage());
    }

    @Test
    void install_deps_without_apt_get_names_the_debian_packages_to_find() {
        PigException e = assertThrows(PigException.class,
                () -> linuxRootWithout("apt-get", "debootstrap").installSteps(Sandbox.UP_TOOLS));
        assertEquals(PigException.Kind.UNAVAILABLE, e.kind());
        assertEquals("--install-deps uses apt-get, which this machine does not have. Install the packages that"
                + " provide debootstrap with its own package manager (their Debian names: debootstrap)", e.getMessage());
    }
}

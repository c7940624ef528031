package dev.pig.sandbox.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.pig.core.diag.PigException;

class BaseImageTest {
    private final ImageCache cache = new ImageCache(Path.of("/var/cache/pig/sandbox"),
            new AptSources("http://deb.debian.org/debian", Optional.of("http://deb.debian.org/debian-security")));

    @Test
    void the_image_cache_key_follows_the_package_list_not_its_order() {
        assertEquals(BaseImage.key("bookworm", List.of("a", "b")), BaseImage.key("bookworm", List.of("b", "a")));
        assertNotEquals(BaseImage.key("bookworm", List.of("a", "b")), BaseImage.key("bookworm", List.of("a", "b", "c")));
        assertNotEquals(BaseImage.key("bookworm", List.of("a")), BaseImage.key("trixie", List.of("a")));
    }

    @Test
    void each_release_has_its_own_image_in_the_one_cache() {
        BaseImage bookworm = cache.image("bookworm");
        BaseImage trixie = cache.image("trixie");
        assertEquals("trixie", trixie.suite());
        assertTrue(trixie.key().startsWith("trixie-"), trixie.key());
        assertTrue(bookworm.key().startsWith("bookworm-"), bookworm.key());
        assertEquals(Path.of("/var/cache/pig/sandbox", trixie.key(), "rootfs"), trixie.rootfs());
        assertNotEquals(bookworm.rootfs(), trixie.rootfs());
        assertSame(trixie, cache.image("trixie"), "one image per release");
    }

    @Test
    void a_release_pig_has_no_data_for_has_no_image() {
        PigException e = assertThrows(PigException.class, () -> cache.image("sid"));
        assertEquals(PigException.Kind.INVALID_INPUT, e.kind());
        assertEquals("the sandbox has no base image of 'sid'; sandbox_release is one of bookworm, trixie", e.getMessage());
    }

    @Test
    void a_nodes_apt_sources_are_of_its_own_release() {
        AptSources s = new AptSources("http://deb.debian.org/debian", Optional.of("http://deb.debian.org/debian-security"));
        String trixie = s.sourcesList("trixie");
        assertEquals("""
                deb http://deb.debian.org/debian trixie main
                deb http://deb.debian.org/debian trixie-updates main
                deb http://deb.debian.org/debian-security trixie-security main
                """, trixie);
        assertFalse(trixie.contains("bookworm"));
    }
}

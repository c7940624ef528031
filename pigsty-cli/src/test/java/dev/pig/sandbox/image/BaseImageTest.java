package dev.pig.sandbox.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class BaseImageTest {
    @Test
    void the_image_cache_key_follows_the_package_list_not_its_order() {
        assertEquals(BaseImage.key("bookworm", List.of("a", "b")), BaseImage.key("bookworm", List.of("b", "a")));
        assertNotEquals(BaseImage.key("bookworm", List.of("a", "b")), BaseImage.key("bookworm", List.of("a", "b", "c")));
        assertNotEquals(BaseImage.key("bookworm", List.of("a")), BaseImage.key("trixie", List.of("a")));
    }
}

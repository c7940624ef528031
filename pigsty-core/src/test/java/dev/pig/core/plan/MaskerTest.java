package dev.pig.core.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the masker hides, and what it leaves alone, with the default haproxy password 'pigsty'. */
class MaskerTest {
    private final Masker masker = new Masker(List.of("pigsty", "DBUser.Meta", "S3cretXyz", "abc"));

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // a host name, a file name and a cluster name that contain the password stay readable
            "+10.10.10.10 i.pigsty                         | +10.10.10.10 i.pigsty",
            "-i pigsty.yml                                  | -i pigsty.yml",
            "pigsty-meta pigsty_home mypigsty pigsty2       | pigsty-meta pigsty_home mypigsty pigsty2",
            // the password where it is used as one
            "stats auth admin:pigsty                        | stats auth admin:***",
            "postgres://dbuser_meta:DBUser.Meta@10.10.10.10/meta | postgres://dbuser_meta:***@10.10.10.10/meta",
            "etcdctl --user root:S3cretXyz user get root    | etcdctl --user root:*** user get root",
            "user add root --new-user-password=S3cretXyz    | user add root --new-user-password=***",
            "password: 'pigsty'                             | password: '***'",
            "the password is pigsty.                        | the password is ***.",
            "PGPASSWORD=DBUser.Meta psql -h /tmp            | PGPASSWORD=*** psql -h /tmp",
            "-pigsty and pigsty                             | -*** and ***",
            // too short to be a secret worth blanking text for
            "abc abc                                        | abc abc",
    })
    void masks_whole_tokens_only(String text, String masked) {
        assertEquals(masked, masker.mask(text));
    }
}

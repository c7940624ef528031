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
            // a short secret where a password is written, not inside paths and names
            "PASSWORD 'abc' --pw=abc root:abc@h            | PASSWORD '***' --pw=*** root:***@h",
            "/abc/data abc.conf abc-1 xabc                  | /abc/data abc.conf abc-1 xabc",
    })
    void masks_whole_tokens_only(String text, String masked) {
        assertEquals(masked, masker.mask(text));
    }

    private final Masker quoting = new Masker(List.of("it's\"$x`", "p@ss word&=1", "ab", "z"));

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "=>", quoteCharacter = '~', value = {
            // as Shell.quote writes it, and the other common shell form
            "echo 'it'\"'\"'s\"$x`' | psql        => echo '***' | psql",
            "echo 'it'\\''s\"$x`'                   => echo '***'",
            // a SQL literal, and that literal quoted for the shell
            "ALTER ROLE u PASSWORD 'it''s\"$x`'      => ALTER ROLE u PASSWORD '***'",
            "psql -c 'ALTER ROLE u PASSWORD '\"'\"'it'\"'\"''\"'\"'s\"$x`'\"'\"''    => psql -c 'ALTER ROLE u PASSWORD '\"'\"'***'\"'\"''",
            // JSON, backslash escapes and PgBouncer's doubled quotes
            "{\"password\": \"it's\\\"$x`\"}        => {\"password\": \"***\"}",
            "PGPASSWORD=\"it's\\\"\\$x\\`\" psql        => PGPASSWORD=\"***\" psql",
            "\"u\" \"it's\"\"$x`\"                   => \"u\" \"***\"",
            // URL-encoded, as a form or as a path
            "s3://k:p%40ss+word%26%3D1@host          => s3://k:***@host",
            "postgres://u:p%40ss%20word%26%3D1@h/db  => postgres://u:***@h/db",
            // a one-character secret is never masked: validation warns about it instead
            "z zz z                                  => z zz z",
    })
    void masks_the_quoted_and_escaped_forms_of_a_secret(String text, String masked) {
        assertEquals(masked, quoting.mask(text));
    }
}

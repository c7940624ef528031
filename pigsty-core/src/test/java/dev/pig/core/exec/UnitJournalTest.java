package dev.pig.core.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnitJournalTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "systemctl start etcd.service                                  | etcd.service",
            "systemctl reset-failed patroni.service; systemctl start patroni.service | patroni.service",
            "systemctl restart prometheus-node-exporter.service            | prometheus-node-exporter.service",
            "systemctl reload haproxy.service                              | haproxy.service",
            "systemctl daemon-reload && systemctl restart etcd.service     | etcd.service",
            "systemctl enable etcd.service                                 | -",
            "systemctl stop etcd.service                                   | -",
            "systemctl daemon-reload                                       | -",
            "apt-get install -y etcd-server                                | -",
    })
    void finds_the_unit_a_step_starts_restarts_or_reloads(String command, String unit) {
        assertEquals(Optional.ofNullable(unit), UnitJournal.of(command));
    }
}

package dev.pig.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.pig.core.diag.PigException;
import dev.pig.core.param.ParamCatalog;

class MemberSelectorTest {

    /** pg-test as Pigsty's hostvars see it, numbers typed the way YAML gives them (Long). */
    private static final List<Map<String, Object>> PG_TEST = List.of(
            member(1, "primary", Map.of("pg_extensions", List.of("postgis"))),
            member(2, "replica", Map.of("pg_parameters", Map.of("max_connections", 500L))),
            member(3, "replica", Map.of("pg_offline_query", true)),
            member(4, "offline", Map.of("pg_weight", 0L)));

    private static Map<String, Object> member(int seq, String role, Map<String, Object> extra) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("inventory_hostname", "10.10.10.1" + seq);
        m.put("pg_cluster", "pg-test");
        m.put("pg_instance", "pg-test-" + seq);
        m.put("pg_seq", (long) seq);
        m.put("pg_role", role);
        m.put("pg_weight", 100L);
        m.putAll(extra);
        return java.util.Collections.unmodifiableMap(m);
    }

    private static List<String> selected(String selector) {
        return MemberSelector.parse(selector).select(PG_TEST).stream().map(m -> (String) m.get("pg_instance")).toList();
    }

    private static Arguments row(String selector, String... members) {
        return Arguments.of(selector, List.of(members).stream().map(n -> "pg-test-" + n).toList());
    }

    static Stream<Arguments> pigstyDefaults() {
        return Stream.of(
                row("[]", "1", "2", "3", "4"),                                           // primary, replica, default
                row("[? pg_role == `primary` || pg_role == `offline` ]", "1", "4"),      // replica's backup
                row("[? pg_role == `offline` || pg_offline_query ]", "3", "4"),          // offline
                row("[? pg_role == `replica` && !pg_offline_query]", "2"));              // offline's backup
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("pigstyDefaults")
    void selects_the_pools_of_pigsty_default_services(String selector, List<String> expected) {
        assertEquals(expected, selected(selector));
    }

    static Stream<Arguments> inventoryForms() {
        return Stream.of(
                row("[? pg_seq == `2`]", "2"),
                row("[? pg_role == 'replica']", "2", "3"),
                row("[? pg_weight > `50` ]", "1", "2", "3"),
                row("[? inventory_hostname == '10.10.10.11']", "1"),
                row("[0]", "1"),
                row("[1:]", "2", "3", "4"),
                row("[? pg_role == `replica`] | [0]", "2"),
                row("[? (pg_role == `replica` || pg_role == `offline`) && pg_weight != `0` ]", "2", "3"),
                row("[? pg_offline_query == `true`]", "3"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("inventoryForms")
    void selects_what_the_forms_seen_in_pigsty_inventories_select(String selector, List<String> expected) {
        assertEquals(expected, selected(selector));
    }

    static Stream<Arguments> indexesAndSlices() {
        return Stream.of(
                row("[1]", "2"),
                row("[-1]", "4"),
                row("[-4]", "1"),
                row("[4]"),
                row("[-5]"),
                row("[:2]", "1", "2"),
                row("[1:3]", "2", "3"),
                row("[-2:]", "3", "4"),
                row("[:-1]", "1", "2", "3"),
                row("[10:]"),
                row("[-10:1]", "1"),
                row("[::2]", "1", "3"),
                row("[1::2]", "2", "4"),
                row("[::-1]", "4", "3", "2", "1"),
                row("[3:1:-1]", "4", "3"),
                row("[10::-2]", "4", "2"),
                row("[:-10:-1]", "4", "3", "2", "1"),
                row("[::]", "1", "2", "3", "4"),
                row("[:]", "1", "2", "3", "4"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("indexesAndSlices")
    void indexes_and_slices_with_jmespath_semantics(String selector, List<String> expected) {
        assertEquals(expected, selected(selector));
    }

    static Stream<Arguments> chains() {
        return Stream.of(
                row("[]|[]", "1", "2", "3", "4"),
                row("[? pg_role == `replica`] | [-1]", "3"),
                row("[1:] | [? pg_role == 'replica'] | [1]", "3"),
                row("[::-1] | [? pg_weight == `100`] | [0]", "3"),
                row("[0] | [0]"),
                // without a pipe, the brackets after a projection apply to each member, as in JMESPath
                row("[? pg_role == 'replica'][0]"),
                row("[1:][? @]"),
                row("[0][0]"),
                // but '[]' ends the projection before it and flattens its whole result, as in JMESPath
                row("[][]", "1", "2", "3", "4"),
                row("[? pg_role == 'replica'][]", "2", "3"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("chains")
    void pipes_stop_projections_and_brackets_without_a_pipe_project(String selector, List<String> expected) {
        assertEquals(expected, selected(selector));
    }

    static Stream<Arguments> conditions() {
        return Stream.of(
                // truthiness: false, null, "", [] and {} are false; 0 is true
                row("[? pg_offline_query]", "3"),
                row("[? !pg_offline_query]", "1", "2", "4"),
                row("[? !!pg_offline_query]", "3"),
                row("[? no_such_var]"),
                row("[? !no_such_var]", "1", "2", "3", "4"),
                row("[? pg_parameters]", "2"),
                row("[? `0`]", "1", "2", "3", "4"),
                row("[? `\"\"`]"),
                row("[? ``]"),
                row("[? '']"),
                row("[? `[]`]"),
                row("[? `{}`]"),
                row("[? `false`]"),
                row("[? `null`]"),
                row("[? 'x']", "1", "2", "3", "4"),
                row("[? @]", "1", "2", "3", "4"),
                // || gives the left side when it is truthy, && gives it when it is falsy
                row("[? no_such_var || pg_offline_query]", "3"),
                row("[? pg_offline_query && pg_role]", "3"),
                row("[? pg_role && pg_offline_query]", "3"),
                row("[? (pg_offline_query || pg_role) == `true`]", "3"),
                row("[? (pg_role && pg_seq) == `4`]", "4"),
                row("[? (no_such_var && pg_seq) == `null`]", "1", "2", "3", "4"),
                // && binds tighter than ||, ! tighter than ==
                row("[? pg_role == 'primary' || pg_role == 'replica' && pg_offline_query]", "1", "3"),
                row("[? (pg_role == 'primary' || pg_role == 'replica') && pg_offline_query]", "3"),
                row("[? !pg_offline_query == `true`]", "1", "2", "4"),
                row("[? !(pg_role == 'replica')]", "1", "4"),
                // equality is deep, numbers by value
                row("[? pg_weight == `100.0`]", "1", "2", "3"),
                row("[? pg_seq == `1e0`]", "1"),
                row("[? pg_role != 'primary']", "2", "3", "4"),
                row("[? pg_seq == '1']"),
                row("[? pg_offline_query == `1`]"),
                row("[? no_such_var == `null`]", "1", "2", "3", "4"),
                row("[? pg_offline_query == `null`]", "1", "2", "4"),
                row("[? pg_extensions == `[\"postgis\"]`]", "1"),
                row("[? pg_parameters == `{\"max_connections\": 500.0}`]", "2"),
                row("[? pg_parameters == `{\"max_connections\": 500, \"port\": null}`]"),
                row("[? `[1, 2]` == `[1, 2.0]`]", "1", "2", "3", "4"),
                row("[? `[1, 2]` == `[2, 1]`]"),
                row("[? @ == @]", "1", "2", "3", "4"),
                // ordering compares numbers only; anything else is null
                row("[? pg_seq < `2`]", "1"),
                row("[? pg_seq <= `2`]", "1", "2"),
                row("[? pg_seq >= `3.5`]", "4"),
                row("[? pg_weight > `0` && pg_seq > `1`]", "2", "3"),
                row("[? pg_role > 'a']"),
                row("[? !(pg_role > 'a')]", "1", "2", "3", "4"),
                row("[? (pg_role < `1`) == `null`]", "1", "2", "3", "4"),
                row("[? pg_offline_query > `0`]"),
                // operands: quoted names, backtick literals (JSON, or the legacy raw string), raw strings
                row("[? \"pg_role\" == 'offline']", "4"),
                row("[? \"pg-role\" == 'offline']"),
                row("[? \"pg_\\u0072ole\" == 'offline']", "4"),
                row("[? pg_role == `\"replica\"`]", "2", "3"),
                row("[? pg_role == ` replica`]", "2", "3"),
                row("[? 'a`b' == `a\\`b`]", "1", "2", "3", "4"),
                row("[? 'it\\'s' == `\"it's\"`]", "1", "2", "3", "4"),
                row("[? 'a\\b' == `\"a\\\\b\"`]", "1", "2", "3", "4"),
                // whitespace anywhere between tokens
                row(" [?pg_role=='replica'&&!pg_offline_query ] | [ 0 ] ", "2"),
                row("[?\npg_role\t==\n'primary'\n]", "1"),
                row("[ 1 : : 2 ]", "2", "4"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("conditions")
    void filters_with_jmespath_truthiness_and_comparisons(String selector, List<String> expected) {
        assertEquals(expected, selected(selector));
    }

    static Stream<Arguments> functions() {
        return Stream.of(
                row("[? starts_with(pg_instance, 'pg-test-')]", "1", "2", "3", "4"),
                row("[? ends_with(pg_instance, '-2')]", "2"),
                row("[? contains(pg_instance, '3')]", "3"),
                row("[? contains(['primary', 'offline'], pg_role)]", "1", "4"),
                row("[? contains(pg_extensions || `[]`, 'postgis')]", "1"),
                row("[? length(pg_extensions || `[]`) > `0`]", "1"),
                row("[? length(keys(@)) > `6`]", "1", "2", "3"),
                row("[? type(pg_parameters) == 'object']", "2"),
                row("[? not_null(pg_offline_query, `false`)]", "3"),
                row("[? to_string(pg_seq) == '2']", "2"),
                row("[? contains(keys(@), 'pg_offline_query')]", "3"),
                row("sort_by(@, &pg_weight)", "4", "1", "2", "3"),
                row("reverse(@)", "4", "3", "2", "1"),
                row("max_by(@, &pg_seq)", "4"),
                row("[? pg_role == 'replica'] | sort_by(@, &pg_seq) | reverse(@) | [0]", "3"));
    }

    /** Valid JMESPath that a hand-written subset of it once refused. */
    static Stream<Arguments> restOfJmespath() {
        return Stream.of(
                row("[? contains(pg_role, 'rep')]", "2", "3"),
                row("[? length (@) > `0`]", "1", "2", "3", "4"),
                row("[? @.pg_role == 'replica']", "2", "3"),
                row("[*]", "1", "2", "3", "4"),
                row("[? pg_extensions[0] == 'postgis']", "1"),
                row("[? [0] == 'x']"),
                row("pg_role"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource({"functions", "restOfJmespath"})
    void evaluates_functions_and_the_rest_of_jmespath(String selector, List<String> expected) {
        assertEquals(expected, selected(selector));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"[].pg_role", "{role: [0]}", "[] | {a: @}", "[a]", "[0].pg_seq",
            "length(@)", "[].[pg_role]"})
    void is_refused_when_it_gives_something_other_than_members(String selector) {
        PigException e = assertThrows(PigException.class, () -> MemberSelector.parse(selector).select(PG_TEST));
        assertEquals(PigException.Kind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().startsWith("selector " + selector + " gives "), e.getMessage());
        assertTrue(e.getMessage().contains("which is not a member of the cluster"), e.getMessage());
    }

    @Test
    void is_refused_when_a_function_gets_the_wrong_type() {
        PigException e = assertThrows(PigException.class,
                () -> MemberSelector.parse("[? starts_with(pg_seq, 'pg')]").select(PG_TEST));
        assertEquals(PigException.Kind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().startsWith("selector [? starts_with(pg_seq, 'pg')] cannot be evaluated"), e.getMessage());
        assertTrue(e.getMessage().contains("starts_with"), e.getMessage());
    }

    static Stream<Arguments> syntaxErrors() {
        return Stream.of(
                Arguments.of("", 1, "empty selector"),
                Arguments.of("  \t", 1, "empty selector"),
                Arguments.of("[? pg_role == `primary`", 24, "expected ']'"),
                Arguments.of("[? pg_role == 'x' ", 19, "expected ']'"),
                Arguments.of("[0", 3, "unexpected end of the selector"),
                Arguments.of("[1:2:3:4]", 7, "expected ']'"),
                Arguments.of("[? (pg_role == 'x']", 19, "expected ')'"),
                Arguments.of("[? ]", 4, "unexpected ']'; expected a variable"),
                Arguments.of("[?", 3, "unexpected end of the selector; expected a variable"),
                Arguments.of("[? pg_role == ]", 15, "expected a variable"),
                Arguments.of("[? pg_role || ]", 15, "expected a variable"),
                Arguments.of("[] |", 5, "unexpected end of the selector; expected a variable"),
                Arguments.of("[] x", 4, "unexpected 'x'; expected the end of the selector"),
                Arguments.of("[? pg_role == `primary` ]]", 26, "unexpected ']'; expected the end of the selector"),
                Arguments.of("[::0]", 4, "a slice step cannot be 0"),
                Arguments.of("[1:2:0]", 6, "a slice step cannot be 0"),
                Arguments.of("[99999999999]", 2, "out of range"),
                Arguments.of("[? pg_seq == 1]", 14, "write `1`"),
                Arguments.of("[? pg_seq == -1]", 14, "write `-1`"),
                Arguments.of("[? pg_offline_query == true]", 24, "write `true`"),
                Arguments.of("[? pg-role == 'x']", 6, "quote a name with '-'"),
                Arguments.of("[? pg_role = 'x']", 12, "write '=='"),
                Arguments.of("[? pg_role == 'x]", 15, "unterminated string"),
                Arguments.of("[? pg_role == `x]", 15, "unterminated literal"),
                Arguments.of("[? \"pg_role == 'x']", 4, "unterminated quoted name"),
                Arguments.of("[? pg_role == `\"x`]", 15, "invalid JSON literal"),
                Arguments.of("[? \"\\q\" == 'x']", 4, "invalid quoted name"),
                Arguments.of("[? pg_role ~ 'x']", 12, "unexpected character '~'"),
                Arguments.of("[ ? pg_role == 'x']", 3, "a filter starts with '[?', with no space between"),
                Arguments.of("[0, 1]", 3, "unexpected ','"),
                Arguments.of("[? a & b]", 6, "write '&&' for and"),
                Arguments.of("[? pg_role == 'x' && `x]", 22, "unterminated literal"),
                Arguments.of("[? pg_role\n== ]", 15, "unexpected ']'"),
                // functions are checked when the selector is parsed: their names and how many arguments
                Arguments.of("[? nosuch(pg_role)]", 4, "unknown function \"nosuch\""),
                Arguments.of("[? length(pg_role, @)]", 4, "invalid arity calling \"length\""),
                Arguments.of("[? `1` == `1`] | [? starts_with(pg_role, 'p') == true]", 50, "write `true`"));
    }

    @ParameterizedTest(name = "{0} -> column {1}: {2}")
    @MethodSource("syntaxErrors")
    void reports_the_first_syntax_error_with_its_column(String selector, int column, String message) {
        MemberSelector.SyntaxError e = assertThrows(MemberSelector.SyntaxError.class, () -> MemberSelector.parse(selector));
        assertEquals(column, e.column(), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertTrue(e.getMessage().endsWith(" at column " + column), e.getMessage());
        assertEquals(e.reason() + " at column " + column, e.getMessage());
    }

    @Test
    void every_selector_of_the_built_in_default_services_parses() {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> services = (List<Map<String, Object>>) ParamCatalog.builtIn()
                .find("pg_default_services").orElseThrow().defaultValue();
        List<String> checked = new ArrayList<>();
        for (Map<String, Object> s : services) {
            for (String field : List.of("selector", "backup")) {
                if (s.get(field) instanceof String text) {
                    checked.add(MemberSelector.parse(text).text());
                }
            }
        }
        assertEquals(6, checked.size(), checked.toString());
    }

    @Test
    void never_changes_the_members_and_returns_a_read_only_list() {
        List<Map<String, Object>> members = new ArrayList<>(PG_TEST);
        List<Map<String, Object>> picked = MemberSelector.parse("[::-1]").select(members);
        assertEquals(PG_TEST, members);
        assertEquals(PG_TEST.get(3), picked.get(0));
        assertThrows(UnsupportedOperationException.class, () -> picked.add(Map.of()));
        assertEquals(List.of(), MemberSelector.parse("[]").select(List.of()));
        assertEquals(List.of(), MemberSelector.parse("[-1]").select(List.of()));
    }

    @Test
    void a_missing_variable_is_null_and_numbers_of_any_type_compare_by_value() {
        List<Map<String, Object>> members = List.of(Map.of("pg_weight", 1), Map.of("pg_weight", 1L), Map.of("pg_weight", 1.0),
                Map.of("pg_weight", 2.5), Map.of());
        assertEquals(3, MemberSelector.parse("[? pg_weight == `1`]").select(members).size());
        assertEquals(1, MemberSelector.parse("[? pg_weight > `1.0`]").select(members).size());
        assertEquals(1, MemberSelector.parse("[? pg_weight == `null`]").select(members).size());
        assertEquals(4, MemberSelector.parse("[? pg_weight >= `0`]").select(members).size());
    }

    @Test
    void is_a_value_named_by_its_text() {
        MemberSelector s = MemberSelector.parse("[? pg_role == `replica` ]");
        assertEquals("[? pg_role == `replica` ]", s.toString());
        assertEquals(s, MemberSelector.parse("[? pg_role == `replica` ]"));
        assertEquals(s.hashCode(), MemberSelector.parse("[? pg_role == `replica` ]").hashCode());
    }
}

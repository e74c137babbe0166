package dev.posture.rego.builtins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.posture.rego.PolicySet;
import dev.posture.rego.QueryResult;
import dev.posture.rego.value.Json;
import dev.posture.rego.value.Value;
import org.junit.jupiter.api.Test;

class BuiltinsTest {
    static String q(String expr) {
        QueryResult r = PolicySet.builder().build().prepare("x := " + expr).eval((Value) null, null);
        return r.isEmpty() ? "undefined" : Json.toJson(r.rows().get(0).bindings().get("x")).toString();
    }

    @Test
    void strings() {
        assertThat(q("sprintf(\"%s-%d-%v-%.2f\", [\"a\", 3, [1], 1.5])")).isEqualTo("\"a-3-[1]-1.50\"");
        // OPA passes integers to Go's fmt as int, so %s / %f on them give Go's error notation
        assertThat(q("sprintf(\"%s %.1f %v %d\", [1, 2, true, \"x\"])")).isEqualTo("\"%!s(int=1) %!f(int=2) true %!d(string=x)\"");
        assertThat(q("split(\"a.b.c\", \".\")")).isEqualTo("[\"a\",\"b\",\"c\"]");
        assertThat(q("substring(\"héllo\", 1, 3)")).isEqualTo("\"éll\"");
        assertThat(q("trim_space(\"  x \")")).isEqualTo("\"x\"");
        assertThat(q("concat(\",\", {\"b\", \"a\"})")).isEqualTo("\"a,b\"");
        assertThat(q("strings.replace_n({\"a\": \"1\"}, \"aba\")")).isEqualTo("\"1b1\"");
        assertThat(q("indexof(\"abc\", \"c\")")).isEqualTo("2");
        assertThat(q("format_int(255, 16)")).isEqualTo("\"ff\"");
    }

    @Test
    void numbersAndAggregates() {
        assertThat(q("10 / 4")).isEqualTo("2.5");
        assertThat(q("7 % 3")).isEqualTo("1");
        assertThat(q("sum([1, 2.5])")).isEqualTo("3.5");
        assertThat(q("max({3, 1})")).isEqualTo("3");
        assertThat(q("round(2.5)")).isEqualTo("3");
        assertThat(q("array.flatten([[1, 2], \"s\", [3, [4]]])")).isEqualTo("[1,2,\"s\",3,[4]]");
        assertThat(q("[bits.and(12, 10), bits.or(12, 10), bits.xor(12, 10), bits.lsh(1, 3), bits.rsh(16, 2), bits.negate(0)]"))
                .isEqualTo("[8,14,6,8,4,-1]");
        assertThat(q("crypto.hmac.sha256(\"msg\", \"key\")")).isEqualTo("\"2d93cbc1be167bcb1637a4a23cbff01a7878f0c50ee833954ea5221bb1b8c628\"");
        assertThat(q("numbers.range(3, 1)")).isEqualTo("[3,2,1]");
        assertThat(q("1 / 0")).isEqualTo("undefined");
    }

    @Test
    void objectsAndJson() {
        assertThat(q("object.get({\"a\": {\"b\": 1}}, [\"a\", \"b\"], 0)")).isEqualTo("1");
        assertThat(q("object.union({\"a\": {\"b\": 1}}, {\"a\": {\"c\": 2}})")).isEqualTo("{\"a\":{\"b\":1,\"c\":2}}");
        assertThat(q("json.marshal({\"b\": 1, \"a\": {1}})")).isEqualTo("\"{\\\"a\\\":[1],\\\"b\\\":1}\"");
        assertThat(q("json.unmarshal(\"[1, 2]\")")).isEqualTo("[1,2]");
        assertThat(q("json.filter({\"a\": {\"b\": 1, \"c\": 2}}, [\"a/b\"])")).isEqualTo("{\"a\":{\"b\":1}}");
        assertThat(q("yaml.unmarshal(\"a: 1\")")).isEqualTo("{\"a\":1}");
        assertThat(q("base64.decode(base64.encode(\"hi\"))")).isEqualTo("\"hi\"");
    }

    @Test
    void regexGlobNetSemverUnitsTime() {
        assertThat(q("regex.match(\"^a+$\", \"aaa\")")).isEqualTo("true");
        assertThat(q("regex.find_all_string_submatch_n(\"(a)(b)?\", \"ab a\", -1)")).isEqualTo("[[\"ab\",\"a\",\"b\"],[\"a\",\"a\",\"\"]]");
        assertThat(q("glob.match(\"*.example.com\", [\".\"], \"api.example.com\")")).isEqualTo("true");
        assertThat(q("glob.match(\"*.example.com\", [\".\"], \"a.b.example.com\")")).isEqualTo("false");
        assertThat(q("net.cidr_contains(\"10.0.0.0/8\", \"10.1.2.3\")")).isEqualTo("true");
        assertThat(q("semver.compare(\"1.2.3\", \"1.10.0\")")).isEqualTo("-1");
        assertThat(q("units.parse_bytes(\"1Ki\")")).isEqualTo("1024");
        assertThat(q("time.parse_duration_ns(\"1m30s\")")).isEqualTo("90000000000");
        assertThat(q("time.date(0)")).isEqualTo("[1970,1,1]");
        assertThat(q("graph.reachable({\"a\": [\"b\"], \"b\": [\"c\"], \"c\": [], \"d\": []}, [\"a\"])")).isEqualTo("[\"a\",\"b\",\"c\"]");
        assertThat(q("io.jwt.decode(\"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.AQID\")")).isEqualTo("[{\"alg\":\"HS256\"},{\"sub\":\"x\"},\"010203\"]");
        assertThat(q("time.format(1500000000)")).isEqualTo("\"1970-01-01T00:00:01.5Z\"");
        assertThat(q("time.parse_rfc3339_ns(\"2017-06-02T19:00:00-07:00\")")).isEqualTo("1496455200000000000");
        assertThat(q("crypto.sha256(\"\")")).isEqualTo("\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"");
    }

    @Test
    void patternsThatMakeBacktrackingEnginesExplodeGiveTheirAnswer() {
        // RE2 semantics: linear-time matching, so these are plainly false, as in OPA (not a budget error)
        assertThat(q("regex.match(\"(x+x+)+y\", \"" + "x".repeat(5000) + "\")")).isEqualTo("false");
        assertThat(q("regex.match(\"^(a|aa)+$\", \"" + "a".repeat(60) + "!\")")).isEqualTo("false");
        assertThat(q("regex.match(\"^(a|aa)+!$\", \"" + "a".repeat(60) + "!\")")).isEqualTo("true");
    }
}

package dev.posture.rego.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.posture.rego.RegoError;
import dev.posture.rego.ast.Expr;
import dev.posture.rego.ast.Module;
import dev.posture.rego.ast.Rule;
import dev.posture.rego.ast.Term;
import dev.posture.rego.value.Value;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParserTest {
    @Test
    void lexesStringsNumbersAndOperators() {
        Lexer lx = new Lexer("f", "x := \"a\\u00e9\\n\" # c\ny != 1.5e3");
        assertThat(lx.tokens).extracting(Lexer.Tok::type).containsExactly(Lexer.T.IDENT, Lexer.T.ASSIGN, Lexer.T.STRING,
                Lexer.T.IDENT, Lexer.T.NEQ, Lexer.T.NUMBER, Lexer.T.EOF);
        assertThat(lx.tokens.get(2).text()).isEqualTo("aé\n");
        assertThat(lx.tokens.get(3).nl()).isTrue();
        assertThat(lx.comments).hasSize(1);
    }

    @Test
    void parsesV1RuleKinds() {
        Module m = Parser.parseModule("m.rego", """
                package a.b
                import rego.v1
                default allow := false
                allow if input.x == 1
                deny contains msg if { msg := "m" }
                p[k] := v if { some k, v in input }
                f(x) := y if { y := x + 1 } else := 0
                a.b.c := 1
                """, true);
        assertThat(m.pkg).containsExactly("a", "b");
        assertThat(m.rules).extracting(r -> r.kind).containsExactly(Rule.Kind.VALUE, Rule.Kind.VALUE, Rule.Kind.CONTAINS,
                Rule.Kind.VALUE, Rule.Kind.FUNCTION, Rule.Kind.VALUE);
        assertThat(m.rules.get(0).isDefault).isTrue();
        assertThat(m.rules.get(4).elseRule).isNotNull();
        assertThat(m.rules.get(5).headPath).hasSize(3);
    }

    @Test
    void v1RequiresIfButV0Accepts() {
        String src = "package x\ndeny[msg] { msg := 1 }\np { true }\n";
        assertThatThrownBy(() -> Parser.parseModule("x.rego", src, true)).isInstanceOf(RegoError.class)
                .hasMessageContaining("rego_parse_error");
        Module m = Parser.parseModule("x.rego", src, false);
        assertThat(m.rules.get(0).kind).isEqualTo(Rule.Kind.CONTAINS);
        assertThat(m.rules.get(1).kind).isEqualTo(Rule.Kind.VALUE);
    }

    @Test
    void importRegoV1SwitchesV0ModuleToV1() {
        Module m = Parser.parseModule("x.rego", "package x\nimport rego.v1\np contains 1 if true\n", false);
        assertThat(m.v1).isTrue();
    }

    @Test
    void operatorPrecedence() {
        List<Expr> q = Parser.parseQuery("x := 1 + 2 * 3 == 7");
        Term.Call assign = (Term.Call) q.get(0).term;
        assertThat(assign.name()).isEqualTo("assign");
        Term.Call eq = (Term.Call) assign.args.get(1);
        assertThat(eq.name()).isEqualTo("equal");
        assertThat(((Term.Call) eq.args.get(0)).name()).isEqualTo("plus");
    }

    @Test
    void comprehensionsSetsAndObjects() {
        Term t = Parser.parseTerm("{x | x := [1 | true][0]}");
        assertThat(t).isInstanceOf(Term.Compr.class);
        assertThat(Parser.parseTerm("{1, 2}")).isInstanceOf(Term.SetT.class);
        assertThat(Parser.parseTerm("{}")).isInstanceOf(Term.ObjectT.class);
        assertThat(Parser.parseTerm("set()")).isInstanceOf(Term.SetT.class);
        assertThat(((Term.Scalar) Parser.parseTerm("`raw\\n`")).value).isEqualTo(Value.str("raw\\n"));
    }

    @Test
    void metadataIsAttached() {
        Module m = Parser.parseModule("x.rego", """
                # METADATA
                # title: pkg
                package x
                # METADATA
                # title: rule
                # custom:
                #   id: X1
                p := 1
                """, true);
        assertThat(m.annotations).hasSize(2);
        assertThat(m.rules.get(0).annotations).containsEntry("title", "rule");
        assertThat(m.annotations.get(0).scope()).isEqualTo("package");
    }

    @Test
    void parseErrorHasLocation() {
        assertThatThrownBy(() -> Parser.parseModule("bad.rego", "package x\np := [1,\n", true))
                .isInstanceOf(RegoError.class).hasMessageStartingWith("bad.rego:");
    }
}

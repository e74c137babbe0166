package dev.posture.rego.parser;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.posture.rego.RegoError;
import dev.posture.rego.ast.Expr;
import dev.posture.rego.ast.Location;
import dev.posture.rego.ast.Module;
import dev.posture.rego.ast.Rule;
import dev.posture.rego.ast.Term;
import dev.posture.rego.parser.Lexer.T;
import dev.posture.rego.parser.Lexer.Tok;
import dev.posture.rego.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Recursive-descent parser for Rego v1 and v0 modules, queries and terms. */
public final class Parser {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> V1_KEYWORDS = Set.of("if", "contains", "in", "every", "some", "not", "with", "as",
            "default", "else", "import", "package", "true", "false", "null");

    private final String file;
    private final String src;
    private final List<Tok> toks;
    private final List<Lexer.Comment> comments;
    private int p;
    private boolean v1;
    private boolean kwIf;
    /** future.keywords.not or rego.v2 imported: {@code not { ... }} bodies are allowed. */
    private boolean wholeNegation;
    private boolean kwContains;
    private boolean kwIn;
    private boolean kwEvery;
    private boolean noOr;
    private int genVar;
    /** Whether the last rule (or else branch) read had an explicit body: only then may chained bodies follow. */
    private boolean bodyParsed;

    private Parser(String file, String src, boolean v1) {
        this.file = file;
        this.src = src;
        Lexer lx = new Lexer(file, src);
        this.toks = lx.tokens;
        this.comments = lx.comments;
        setV1(v1);
    }

    private void setV1(boolean on) {
        v1 = on;
        kwIf = kwContains = kwIn = kwEvery = on;
    }

    /** Parses a module; {@code v1} selects Rego v1 syntax (a module importing rego.v1 is always v1). */
    public static Module parseModule(String file, String src, boolean v1) {
        return new Parser(file, src, v1).module();
    }

    /** Parses a query (body). */
    public static List<Expr> parseQuery(String src) {
        Parser ps = new Parser("query", src, true);
        List<Expr> body = ps.literals(T.EOF);
        ps.expect(T.EOF);
        if (body.isEmpty()) {
            throw new RegoError("rego_parse_error", new Location("query", 1, 1), "empty query");
        }
        return body;
    }

    /** Parses a single term (e.g. input_term). */
    public static Term parseTerm(String src) {
        Parser ps = new Parser("term", src, true);
        Term t = ps.termIn();
        ps.expect(T.EOF);
        return t;
    }

    // ------------------------------------------------------------------ token helpers

    private Tok peek() {
        return toks.get(p);
    }

    private Tok peek(int n) {
        return toks.get(Math.min(p + n, toks.size() - 1));
    }

    private Tok next() {
        Tok t = toks.get(p);
        if (t.type() != T.EOF) {
            p++;
        }
        return t;
    }

    private boolean is(T t) {
        return peek().type() == t;
    }

    private boolean isKw(String kw) {
        Tok t = peek();
        if (t.type() != T.IDENT || !t.text().equals(kw)) {
            return false;
        }
        return switch (kw) {
            case "if" -> kwIf;
            case "contains" -> kwContains;
            case "in" -> kwIn;
            case "every" -> kwEvery;
            default -> true;
        };
    }

    private boolean accept(T t) {
        if (is(t)) {
            next();
            return true;
        }
        return false;
    }

    private boolean acceptKw(String kw) {
        if (isKw(kw)) {
            next();
            return true;
        }
        return false;
    }

    private Tok expect(T t) {
        if (!is(t)) {
            throw err(peek(), "unexpected " + describe(peek()) + ", expected " + t.name().toLowerCase());
        }
        return next();
    }

    private static String describe(Tok t) {
        return t.type() == T.EOF ? "eof token" : t.type() == T.IDENT ? "ident token" : t.type() == T.STRING ? "string token"
                : "'" + t.text() + "' token";
    }

    private RegoError err(Tok t, String msg) {
        return new RegoError("rego_parse_error", loc(t), msg);
    }

    private Location loc(Tok t) {
        return new Location(file, t.row(), t.col());
    }

    private boolean keywordIdent(Tok t) {
        if (t.type() != T.IDENT) {
            return false;
        }
        String s = t.text();
        return switch (s) {
            case "if" -> kwIf;
            case "contains" -> kwContains;
            case "in" -> kwIn;
            case "every" -> kwEvery;
            case "some", "not", "with", "as", "default", "else", "import", "package" -> true;
            default -> false;
        };
    }

    // ------------------------------------------------------------------ module

    private Module module() {
        Tok pk = peek();
        if (!(pk.type() == T.IDENT && pk.text().equals("package"))) {
            throw err(pk, "unexpected " + describe(pk) + ", expected package");
        }
        next();
        Term pt = refTerm();
        List<String> pkg = new ArrayList<>();
        if (pt instanceof Term.Var v) {
            pkg.add(v.name);
        } else if (pt instanceof Term.Ref r && r.head instanceof Term.Var hv) {
            pkg.add(hv.name);
            for (Term t : r.path) {
                if (t instanceof Term.Scalar s && s.value instanceof Value.Str str) {
                    pkg.add(str.value);
                } else {
                    throw err(pk, "invalid package path");
                }
            }
        } else {
            throw err(pk, "invalid package path");
        }
        if (pkg.get(0).equals("data")) {
            pkg.remove(0);
        }
        Module m = new Module(file, pkg);
        m.pkgLoc = loc(pk);
        List<MetaBlock> blocks = metadataBlocks();
        int bi = 0;
        for (; bi < blocks.size() && blocks.get(bi).endRow < pk.row(); bi++) {
            MetaBlock b = blocks.get(bi);
            m.annotations.add(new Module.Annotation(b.scope("package"), b.data, b.loc, null));
        }
        while (isKw("import")) {
            importStmt(m);
        }
        m.v1 = v1;
        while (!is(T.EOF)) {
            Tok start = peek();
            if (isKw("import")) {
                importStmt(m);
                continue;
            }
            Rule r = rule();
            r.module = m;
            List<Rule> chained = chainedBodies(r);
            while (bi < blocks.size() && blocks.get(bi).endRow < start.row()) {
                MetaBlock b = blocks.get(bi++);
                String scope = b.scope("rule");
                if (scope.equals("package") || scope.equals("subpackages")) {
                    m.annotations.add(new Module.Annotation(scope, b.data, b.loc, null));
                } else {
                    if (scope.equals("rule")) {
                        r.annotations = b.data;
                    }
                    m.annotations.add(new Module.Annotation(scope, b.data, b.loc, r));
                }
            }
            m.rules.add(r);
            m.rules.addAll(chained);
        }
        m.v1 = v1;
        return m;
    }

    /** One import statement. As OPA's parser, imports may appear anywhere after the package, also between
     * rules, and apply to the whole module; a keyword import enables its keywords from that point on. */
    private void importStmt(Module m) {
        Tok it = next();
        Term path = refTerm();
        Term.Ref ref = path instanceof Term.Ref r ? r : new Term.Ref(path.loc, path, List.of());
        String alias = null;
        if (acceptKw("as")) {
            alias = expect(T.IDENT).text();
        }
        String head = ref.head instanceof Term.Var hv ? hv.name : "";
        if (!Set.of("data", "input", "future", "rego").contains(head)) {
            throw err(it, "invalid import path " + path);
        }
        String imp = path.toString();
        if (imp.equals("rego.v1")) {
            setV1(true);
            m.v1 = true;
        } else if (imp.equals("rego.v2")) {
            // v1 syntax plus whole-expression negation and not { ... } bodies
            setV1(true);
            m.v1 = true;
            m.wholeNegation = true;
            wholeNegation = true;
        } else if (imp.equals("future.keywords")) {
            kwIf = kwContains = kwIn = kwEvery = true;
        } else if (imp.startsWith("future.keywords.")) {
            switch (imp.substring("future.keywords.".length())) {
                case "if" -> kwIf = true;
                case "contains" -> kwContains = true;
                case "in" -> kwIn = true;
                case "every" -> {
                    kwEvery = true;
                    kwIn = true;
                }
                case "not" -> {
                    m.wholeNegation = true;
                    wholeNegation = true;
                }
                default -> throw err(it, "unexpected keyword " + imp);
            }
        } else if (head.equals("future")) {
            throw err(it, "unexpected import path " + imp);
        }
        m.imports.add(new Module.Import(loc(it), ref, alias));
    }

    /**
     * v0's chained bodies, {@code p { a } { b }} or {@code f(x) = y { a } { b }}: each further block after a rule's
     * body is one more definition of that rule with the same head (as OPA's parser, whatever the Rego version). A
     * rule with an else chain cannot have them ("expected else keyword").
     */
    private List<Rule> chainedBodies(Rule r) {
        List<Rule> out = new ArrayList<>();
        if (!bodyParsed || r.isDefault) {
            return out;
        }
        while (is(T.LBRACE)) {
            Tok at = peek();
            if (r.elseRule != null) {
                throw err(at, "expected else keyword");
            }
            List<Expr> body = block();
            Rule next = new Rule(loc(at), false, r.kind, r.headPath, r.args, r.value, body, null);
            next.module = r.module;
            out.add(next);
        }
        return out;
    }

    private record MetaBlock(int endRow, Map<String, Object> data, Location loc) {
        String scope(String def) {
            Object s = data.get("scope");
            return s instanceof String str ? str : def;
        }
    }

    @SuppressWarnings("unchecked")
    private List<MetaBlock> metadataBlocks() {
        List<MetaBlock> out = new ArrayList<>();
        for (int i = 0; i < comments.size(); i++) {
            Lexer.Comment c = comments.get(i);
            if (!c.text().trim().equals("METADATA")) {
                continue;
            }
            StringBuilder yaml = new StringBuilder();
            int row = c.row();
            int j = i + 1;
            while (j < comments.size() && comments.get(j).row() == row + 1 && comments.get(j).col() == c.col()) {
                String t = comments.get(j).text();
                yaml.append(t.startsWith(" ") ? t.substring(1) : t).append('\n');
                row++;
                j++;
            }
            Location l = new Location(file, c.row(), c.col());
            Map<String, Object> data;
            try {
                Object parsed = YAML.readValue(yaml.length() == 0 ? "{}" : yaml.toString(), Object.class);
                data = parsed instanceof Map<?, ?> mm ? new LinkedHashMap<>((Map<String, Object>) mm) : new LinkedHashMap<>();
            } catch (Exception e) {
                throw new RegoError("rego_parse_error", l, "yaml: " + e.getMessage().split("\n")[0]);
            }
            out.add(new MetaBlock(row, data, l));
            i = j - 1;
        }
        return out;
    }

    private static Term trueTerm(Location l) {
        return new Term.Scalar(l, Value.bool(true));
    }

    private Rule rule() {
        bodyParsed = false;
        Tok start = peek();
        Location l = loc(start);
        boolean isDefault = acceptKw("default");
        if (peek().type() != T.IDENT || keywordIdent(peek())) {
            throw err(peek(), "unexpected " + describe(peek()) + ", expected rule head");
        }
        Term head = refTerm();
        List<Term> path = new ArrayList<>();
        if (head instanceof Term.Var v) {
            path.add(v);
        } else if (head instanceof Term.Ref r && r.head instanceof Term.Var) {
            path.add(r.head);
            path.addAll(r.path);
        } else if (head instanceof Term.Call c && c.args.isEmpty()
                && (c.op instanceof Term.Var || c.op instanceof Term.Ref cr && cr.head instanceof Term.Var)) {
            // `p() = x { ... }`: as OPA's parser, a head without arguments is no function but the rule p
            if (c.op instanceof Term.Var v) {
                path.add(v);
            } else {
                Term.Ref r = (Term.Ref) c.op;
                path.add(r.head);
                path.addAll(r.path);
            }
        } else if (head instanceof Term.Call c) {
            // function head parsed as call
            Term op = c.op;
            if (op instanceof Term.Var v) {
                path.add(v);
            } else if (op instanceof Term.Ref r) {
                path.add(r.head);
                path.addAll(r.path);
            }
            Term value = null;
            if (accept(T.ASSIGN) || accept(T.UNIFY)) {
                value = termIn();
            }
            if (isDefault) {
                if (value == null) {
                    throw err(start, "default rules must have a value");
                }
                return new Rule(l, true, Rule.Kind.FUNCTION, path, c.args, value, List.of(trueTerm(l)).stream()
                        .map(t -> Expr.term(l, false, t, null)).toList(), null);
            }
            return finishRule(l, Rule.Kind.FUNCTION, path, c.args, value);
        } else {
            throw err(start, "invalid rule head");
        }
        if (path.get(0) instanceof Term.Var hv && (hv.name.equals("data") || hv.name.equals("input")) && path.size() == 1) {
            throw err(start, "rule name conflicts with built-in root document '" + hv.name + "'");
        }
        if (isDefault) {
            if (!(accept(T.ASSIGN) || accept(T.UNIFY))) {
                throw err(peek(), "default rules must have a value");
            }
            Term value = termIn();
            return new Rule(l, true, Rule.Kind.VALUE, path, null, value, List.of(Expr.term(l, false, trueTerm(l), null)), null);
        }
        if (acceptKw("contains")) {
            Term elem = termIn();
            return finishRule(l, Rule.Kind.CONTAINS, path, null, elem);
        }
        Term value = null;
        if (accept(T.ASSIGN) || accept(T.UNIFY)) {
            value = termIn();
        } else if (!v1 && path.size() > 1 && isBodyStart() && !(path.get(path.size() - 1) instanceof Term.Scalar s
                && s.value instanceof Value.Str && toks.get(p - 1).type() != T.RBRACK)) {
            // v0 partial set: p[x] { ... }
            Term elem = path.remove(path.size() - 1);
            return finishRule(l, Rule.Kind.CONTAINS, path, null, elem);
        }
        return finishRule(l, Rule.Kind.VALUE, path, null, value);
    }

    private boolean isBodyStart() {
        return is(T.LBRACE) || isKw("if") || is(T.EOF) || peek().nl();
    }

    private Rule finishRule(Location l, Rule.Kind kind, List<Term> path, List<Term> args, Term value) {
        return completeRule(l, kind, path, args, value, ruleBody(value != null || kind == Rule.Kind.CONTAINS));
    }

    private Rule elseChain(Rule.Kind kind, List<Term> path, List<Term> args) {
        Tok et = next();
        Location l = loc(et);
        Term value = null;
        if (accept(T.ASSIGN) || accept(T.UNIFY)) {
            value = termIn();
        }
        return completeRule(l, kind, path, args, value, ruleBody(true));
    }

    /** The rest of a rule or else-branch once its body is read: the else chain and defaults for value/body. */
    private Rule completeRule(Location l, Rule.Kind kind, List<Term> path, List<Term> args, Term value,
                              List<Expr> body) {
        Rule elseRule = null;
        if (isKw("else")) {
            elseRule = elseChain(kind, path, args);
        }
        if (value == null) {
            value = trueTerm(l);
        }
        if (body == null) {
            body = List.of(Expr.term(l, false, trueTerm(l), null));
        }
        return new Rule(l, false, kind, path, args, value, body, elseRule);
    }

    /** Parses an optional rule body; returns null when there is none. */
    private List<Expr> ruleBody(boolean hasValue) {
        List<Expr> body = ruleBody0(hasValue);
        bodyParsed = body != null;
        return body;
    }

    private List<Expr> ruleBody0(boolean hasValue) {
        if (acceptKw("if")) {
            if (is(T.LBRACE)) {
                int save = p;
                try {
                    return block();
                } catch (RegoError e) {
                    p = save;
                    List<Expr> one = new ArrayList<>();
                    one.add(literal());
                    if (!is(T.EOF) && !peek().nl() && !isKw("else")) {
                        throw e;
                    }
                    return one;
                }
            }
            List<Expr> one = new ArrayList<>();
            one.add(literal());
            return one;
        }
        if (is(T.LBRACE) && !peek().nl() || is(T.LBRACE) && !v1) {
            if (v1) {
                throw err(peek(), "`if` keyword is required before rule body");
            }
            List<Expr> b = block();
            return b;
        }
        if (!is(T.EOF) && !peek().nl() && !isKw("else")) {
            throw err(peek(), "unexpected " + describe(peek()));
        }
        return null;
    }

    private List<Expr> block() {
        expect(T.LBRACE);
        List<Expr> body = literals(T.RBRACE);
        expect(T.RBRACE);
        if (body.isEmpty()) {
            throw err(toks.get(p - 1), "found empty body");
        }
        return body;
    }

    private List<Expr> literals(T end) {
        List<Expr> out = new ArrayList<>();
        while (!is(end)) {
            out.add(literal());
            if (accept(T.SEMI)) {
                continue;
            }
            if (is(end)) {
                break;
            }
            if (!peek().nl()) {
                throw err(peek(), "unexpected " + describe(peek()) + ", expected newline or ;");
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ literals

    private Expr literal() {
        Tok start = peek();
        Location l = loc(start);
        Expr e;
        if (isKw("some")) {
            next();
            boolean save = kwIn;
            Term first = relation();
            Term second = null;
            List<Term> decl = new ArrayList<>();
            decl.add(first);
            while (accept(T.COMMA)) {
                decl.add(relation());
            }
            if (save && acceptKw("in")) {
                if (decl.size() > 2) {
                    throw err(start, "unexpected , in some declaration");
                }
                if (decl.size() == 2) {
                    second = decl.get(1);
                } else {
                    second = first;
                    first = null;
                }
                Term dom = relation();
                e = new Expr(l, Expr.Kind.SOME_IN, false, null, null, first, second, dom, null, withs());
            } else {
                List<Term.Var> vars = new ArrayList<>();
                for (Term t : decl) {
                    if (t instanceof Term.Var v) {
                        vars.add(v);
                    } else if (t instanceof Term.Call c && c.name() != null && c.name().equals("internal.member_2")) {
                        // 'some x in xs' parsed by relation? (cannot happen: relation excludes in)
                        throw err(start, "unexpected in");
                    } else {
                        throw err(start, "expected var in some declaration");
                    }
                }
                e = new Expr(l, Expr.Kind.SOME_DECL, false, null, vars, null, null, null, null, null);
            }
        } else if (isKw("every")) {
            next();
            Term a = relation();
            Term key = null;
            Term val = a;
            if (accept(T.COMMA)) {
                key = a;
                val = relation();
            }
            if (!acceptKw("in")) {
                throw err(peek(), "unexpected " + describe(peek()) + ", expected in");
            }
            Term dom = relation();
            List<Expr> body = block();
            e = new Expr(l, Expr.Kind.EVERY, false, null, null, key, val, dom, body, withs());
        } else {
            boolean neg = acceptKw("not");
            Term t;
            if (neg && wholeNegation && is(T.LBRACE)) {
                // not { a; b }: true when the body has no solution; evaluated as [true | a; b][0]
                List<Expr> body = block();
                Term.Compr c = new Term.Compr(l, Term.Compr.Kind.ARRAY, null, new Term.Scalar(l, Value.bool(true)), body);
                t = new Term.Ref(l, c, List.of(new Term.Scalar(l, Value.num(0))));
            } else {
                t = exprTerm();
            }
            e = Expr.term(l, neg, t, withs());
        }
        e.text = src.substring(start.pos(), toks.get(p - 1).end());
        return e;
    }

    private List<Expr.With> withs() {
        List<Expr.With> ws = null;
        while (isKw("with")) {
            Tok wt = next();
            Term target = refTerm();
            if (!acceptKw("as")) {
                throw err(peek(), "unexpected " + describe(peek()) + ", expected as");
            }
            Term value = termIn();
            if (ws == null) {
                ws = new ArrayList<>();
            }
            ws.add(new Expr.With(loc(wt), target, value));
        }
        return ws;
    }

    /**
     * Nesting of terms (parentheses, collections, calls, comprehensions) the parser accepts. Each level costs about
     * ten Java frames here and more in the compiler; a clear error at the limit beats a stack overflow, which the
     * JVM takes seconds to unwind from this deep.
     */
    static final int MAX_NESTING = 500;
    private int nesting;

    private Term exprTerm() {
        Tok start = peek();
        Term lhs = termIn();
        if (is(T.COMMA) && kwIn) {
            // x, y in xs
            next();
            Term v = relation();
            if (!acceptKw("in")) {
                throw err(peek(), "unexpected " + describe(peek()) + ", expected in");
            }
            Term dom = relation();
            lhs = call(start, "internal.member_3", lhs, v, dom);
        }
        if (is(T.ASSIGN) || is(T.UNIFY)) {
            Tok op = next();
            Term rhs = termIn();
            return call(op, op.type() == T.ASSIGN ? "assign" : "eq", lhs, rhs);
        }
        return lhs;
    }

    private Term call(Tok at, String op, Term... args) {
        Location l = loc(at);
        return new Term.Call(l, new Term.Var(l, op), List.of(args));
    }

    // ------------------------------------------------------------------ terms

    /** Full term including 'in'. */
    public Term termIn() {
        Term lhs = relation();
        while (kwIn && isKw("in")) {
            Tok op = next();
            Term rhs = relation();
            lhs = call(op, "internal.member_2", lhs, rhs);
        }
        return lhs;
    }

    private Term relation() {
        Term lhs = or();
        while (true) {
            Tok t = peek();
            String op = switch (t.type()) {
                case EQ -> "equal";
                case NEQ -> "neq";
                case LT -> "lt";
                case LTE -> "lte";
                case GT -> "gt";
                case GTE -> "gte";
                default -> null;
            };
            if (op == null) {
                return lhs;
            }
            next();
            lhs = call(t, op, lhs, or());
        }
    }

    private Term or() {
        Term lhs = and();
        while (is(T.BAR) && !noOr) {
            Tok t = next();
            lhs = call(t, "or", lhs, and());
        }
        return lhs;
    }

    private Term and() {
        Term lhs = arith();
        while (is(T.AMP)) {
            Tok t = next();
            lhs = call(t, "and", lhs, arith());
        }
        return lhs;
    }

    private Term arith() {
        Term lhs = factor();
        while ((is(T.PLUS) || is(T.MINUS)) && !peek().nl()) {
            Tok t = next();
            lhs = call(t, t.type() == T.PLUS ? "plus" : "minus", lhs, factor());
        }
        return lhs;
    }

    private Term factor() {
        Term lhs = unary();
        while ((is(T.STAR) || is(T.SLASH) || is(T.PERCENT)) && !peek().nl()) {
            Tok t = next();
            String op = t.type() == T.STAR ? "mul" : t.type() == T.SLASH ? "div" : "rem";
            lhs = call(t, op, lhs, unary());
        }
        return lhs;
    }

    private Term unary() {
        if (is(T.MINUS)) {
            Tok m = next();
            if (is(T.NUMBER) && !peek().ws()) {
                Tok n = next();
                Value.Num v = Value.Num.parse("-" + n.text());
                return postfix(new Term.Scalar(loc(m), v));
            }
            Term t = unary();
            if (t instanceof Term.Scalar s && s.value instanceof Value.Num n) {
                return new Term.Scalar(loc(m), Value.num(n.big().negate()));
            }
            return call(m, "minus", new Term.Scalar(loc(m), Value.num(0)), t);
        }
        return postfix(primary());
    }

    /** A reference term (used for rule heads, imports, with targets). */
    private Term refTerm() {
        return postfix(primary());
    }

    private Term primary() {
        if (++nesting > MAX_NESTING) {
            throw err(peek(), "expression nested deeper than " + MAX_NESTING + " levels");
        }
        try {
            return primaryUnguarded();
        } finally {
            nesting--;
        }
    }

    private Term primaryUnguarded() {
        Tok t = peek();
        Location l = loc(t);
        switch (t.type()) {
            case NUMBER -> {
                next();
                Value.Num n = Value.Num.parse(t.text());
                if (n == null) {
                    throw err(t, "invalid number");
                }
                return new Term.Scalar(l, n);
            }
            case STRING -> {
                next();
                return new Term.Scalar(l, Value.str(constant(t.text())));
            }
            case IDENT -> {
                if (keywordIdent(t) && !(t.text().equals("contains") && peek(1).type() == T.LPAREN && !peek(1).ws())) {
                    throw err(t, "unexpected " + t.text() + " keyword");
                }
                next();
                switch (t.text()) {
                    case "true":
                        return new Term.Scalar(l, Value.bool(true));
                    case "false":
                        return new Term.Scalar(l, Value.bool(false));
                    case "null":
                        return new Term.Scalar(l, Value.NULL);
                    case "set":
                        if (is(T.LPAREN) && peek(1).type() == T.RPAREN) {
                            next();
                            next();
                            return new Term.SetT(l, List.of());
                        }
                        return new Term.Var(l, "set");
                    case "_":
                        return new Term.Var(l, "$_" + (genVar++));
                    default:
                        return new Term.Var(l, t.text());
                }
            }
            case LPAREN -> {
                next();
                boolean save = noOr;
                noOr = false;
                Term inner = termIn();
                if (kwIn && is(T.COMMA)) {
                    Tok ct = next();
                    Term v = relation();
                    if (!acceptKw("in")) {
                        throw err(peek(), "unexpected " + describe(peek()) + ", expected in");
                    }
                    Term dom = relation();
                    inner = call(ct, "internal.member_3", inner, v, dom);
                }
                noOr = save;
                expect(T.RPAREN);
                return inner;
            }
            case LBRACK -> {
                next();
                boolean save = noOr;
                if (accept(T.RBRACK)) {
                    return new Term.ArrayT(l, List.of());
                }
                noOr = true;
                Term first = termIn();
                noOr = save;
                if (accept(T.BAR)) {
                    List<Expr> body = literals(T.RBRACK);
                    expect(T.RBRACK);
                    return new Term.Compr(l, Term.Compr.Kind.ARRAY, null, first, body);
                }
                List<Term> items = new ArrayList<>();
                items.add(first);
                collectRest(items, T.RBRACK);
                return new Term.ArrayT(l, items);
            }
            case LBRACE -> {
                next();
                boolean save = noOr;
                if (accept(T.RBRACE)) {
                    return new Term.ObjectT(l, List.of(), List.of());
                }
                noOr = true;
                Term first = termIn();
                if (accept(T.COLON)) {
                    Term val = termIn();
                    noOr = save;
                    if (accept(T.BAR)) {
                        List<Expr> body = literals(T.RBRACE);
                        expect(T.RBRACE);
                        return new Term.Compr(l, Term.Compr.Kind.OBJECT, first, val, body);
                    }
                    List<Term> keys = new ArrayList<>();
                    List<Term> vals = new ArrayList<>();
                    keys.add(first);
                    vals.add(val);
                    while (accept(T.COMMA)) {
                        if (is(T.RBRACE)) {
                            break;
                        }
                        keys.add(termIn());
                        expect(T.COLON);
                        vals.add(termIn());
                    }
                    expect(T.RBRACE);
                    return new Term.ObjectT(l, keys, vals);
                }
                noOr = save;
                if (accept(T.BAR)) {
                    List<Expr> body = literals(T.RBRACE);
                    expect(T.RBRACE);
                    return new Term.Compr(l, Term.Compr.Kind.SET, null, first, body);
                }
                List<Term> items = new ArrayList<>();
                items.add(first);
                collectRest(items, T.RBRACE);
                return new Term.SetT(l, items);
            }
            default -> throw err(t, "unexpected " + describe(t));
        }
    }

    private void collectRest(List<Term> items, T end) {
        boolean save = noOr;
        noOr = false;
        while (accept(T.COMMA)) {
            if (is(end)) {
                break;
            }
            items.add(termIn());
        }
        noOr = save;
        expect(end);
    }

    private Term postfix(Term base) {
        Term cur = base;
        List<Term> path = null;
        Term head = null;
        while (true) {
            Tok t = peek();
            if (t.type() == T.DOT && !t.ws() && (cur instanceof Term.Var || cur instanceof Term.Ref || cur instanceof Term.Call
                    || path != null)) {
                next();
                Tok id = peek();
                if (id.type() != T.IDENT || id.ws()) {
                    throw err(id, "unexpected " + describe(id) + ", expected ident");
                }
                next();
                if (path == null) {
                    head = cur;
                    path = new ArrayList<>();
                }
                path.add(new Term.Scalar(loc(id), Value.str(constant(id.text()))));
                cur = new Term.Ref(base.loc, head, path);
            } else if (t.type() == T.LBRACK && !t.ws()) {
                next();
                boolean save = noOr;
                noOr = false;
                Term idx = termIn();
                noOr = save;
                expect(T.RBRACK);
                if (path == null) {
                    head = cur;
                    path = new ArrayList<>();
                }
                path.add(idx);
                cur = new Term.Ref(base.loc, head, path);
            } else if (t.type() == T.LPAREN && !t.ws() && (cur instanceof Term.Var || cur instanceof Term.Ref)) {
                next();
                List<Term> args = new ArrayList<>();
                boolean save = noOr;
                noOr = false;
                if (!accept(T.RPAREN)) {
                    args.add(termIn());
                    while (accept(T.COMMA)) {
                        if (is(T.RPAREN)) {
                            break;
                        }
                        args.add(termIn());
                    }
                    expect(T.RPAREN);
                }
                noOr = save;
                cur = new Term.Call(base.loc, cur, args);
                path = null;
                head = null;
            } else {
                return cur;
            }
        }
    }

    /**
     * Short string constants are interned: input keys parsed by Jackson are interned too, so the object lookups of
     * a policy ({@code c.image}) compare keys by identity instead of byte by byte.
     */
    private static String constant(String s) {
        return s.length() <= 64 ? s.intern() : s;
    }
}

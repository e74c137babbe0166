package dev.posture.rego.builtins;

import static dev.posture.rego.builtins.Args.str;

import dev.posture.rego.value.Value;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * regex.globs_match: whether two glob-like patterns (the syntax of yashtewari/glob-intersection, which OPA uses:
 * literals, '.', character classes, '\' escapes, and the quantifiers '*', '+' and '?') match a common string.
 * Decided by a search over the product of the two patterns' automata.
 */
final class GlobsMatch {
    private GlobsMatch() {
    }

    /** A set of characters: any, or ranges (lo..hi inclusive), possibly negated. */
    record CharSet(boolean any, boolean negated, List<int[]> ranges) {
        boolean contains(int c) {
            if (any) {
                return true;
            }
            boolean in = false;
            for (int[] r : ranges) {
                if (c >= r[0] && c <= r[1]) {
                    in = true;
                    break;
                }
            }
            return in != negated;
        }

        void candidates(Set<Integer> out) {
            for (int[] r : ranges) {
                for (int c : new int[] {r[0] - 1, r[0], r[1], r[1] + 1}) {
                    if (c >= 0 && c <= Character.MAX_CODE_POINT) {
                        out.add(c);
                    }
                }
            }
        }
    }

    /** One token with its quantifier: 0 none, '*', '?'. ('+' is expanded to the token followed by token*.) */
    record Token(CharSet set, char quant) {
    }

    static void register(Registry r) {
        r.add("regex.globs_match", 2, (a, c) -> Value.bool(intersect(parse(str(a, 0)), parse(str(a, 1)))));
    }

    static List<Token> parse(String g) {
        List<Token> out = new ArrayList<>();
        int[] cps = g.codePoints().toArray();
        int i = 0;
        while (i < cps.length) {
            int c = cps[i];
            CharSet set;
            if (c == '*' || c == '+' || c == '?') {
                throw BuiltinError.err("invalid glob: quantifier " + (char) c + " without a preceding token at position " + i);
            } else if (c == '.') {
                set = new CharSet(true, false, List.of());
                i++;
            } else if (c == '\\') {
                if (i + 1 >= cps.length) {
                    throw BuiltinError.err("invalid glob: trailing escape character");
                }
                set = lit(cps[i + 1]);
                i += 2;
            } else if (c == '[') {
                int j = i + 1;
                boolean neg = j < cps.length && cps[j] == '^';
                if (neg) {
                    j++;
                }
                List<int[]> ranges = new ArrayList<>();
                boolean closed = false;
                boolean first = true;
                while (j < cps.length) {
                    int x = cps[j];
                    if (x == ']' && !first) {
                        closed = true;
                        j++;
                        break;
                    }
                    first = false;
                    if (x == '\\' && j + 1 < cps.length) {
                        x = cps[++j];
                    }
                    int lo = x;
                    int hi = x;
                    if (j + 2 < cps.length && cps[j + 1] == '-' && cps[j + 2] != ']') {
                        hi = cps[j + 2];
                        if (hi == '\\' && j + 3 < cps.length) {
                            hi = cps[j + 3];
                            j++;
                        }
                        j += 2;
                        if (hi < lo) {
                            throw BuiltinError.err("invalid glob: bad character class range");
                        }
                    }
                    ranges.add(new int[] {lo, hi});
                    j++;
                }
                if (!closed) {
                    throw BuiltinError.err("invalid glob: character class is not closed");
                }
                set = new CharSet(false, neg, ranges);
                i = j;
            } else {
                set = lit(c);
                i++;
            }
            char q = 0;
            if (i < cps.length && (cps[i] == '*' || cps[i] == '+' || cps[i] == '?')) {
                q = (char) cps[i++];
            }
            if (q == '+') {
                out.add(new Token(set, (char) 0));
                out.add(new Token(set, '*'));
            } else {
                out.add(new Token(set, q));
            }
        }
        return out;
    }

    private static CharSet lit(int c) {
        List<int[]> r = new ArrayList<>();
        r.add(new int[] {c, c});
        return new CharSet(false, false, r);
    }

    static boolean overlaps(CharSet a, CharSet b) {
        Set<Integer> cand = new TreeSet<>();
        a.candidates(cand);
        b.candidates(cand);
        cand.add((int) 'a');
        cand.add(0x1F600);
        cand.add(0x10FFFF);
        cand.add(0);
        for (int c : cand) {
            if (a.contains(c) && b.contains(c)) {
                return true;
            }
        }
        return false;
    }

    static boolean intersect(List<Token> x, List<Token> y) {
        ArrayDeque<int[]> todo = new ArrayDeque<>();
        Set<Long> seen = new HashSet<>();
        todo.add(new int[] {0, 0});
        while (!todo.isEmpty()) {
            int[] s = todo.poll();
            int i = s[0];
            int j = s[1];
            if (!seen.add(((long) i << 32) | j)) {
                continue;
            }
            if (i == x.size() && j == y.size()) {
                return true;
            }
            // skip an optional token on either side
            if (i < x.size() && x.get(i).quant() != 0) {
                todo.add(new int[] {i + 1, j});
            }
            if (j < y.size() && y.get(j).quant() != 0) {
                todo.add(new int[] {i, j + 1});
            }
            // consume one character on both sides
            if (i < x.size() && j < y.size() && overlaps(x.get(i).set(), y.get(j).set())) {
                int ni = x.get(i).quant() == '*' ? i : i + 1;
                int nj = y.get(j).quant() == '*' ? j : j + 1;
                todo.add(new int[] {ni, nj});
                if (ni == i) {
                    todo.add(new int[] {i + 1, nj});
                }
                if (nj == j) {
                    todo.add(new int[] {ni, j + 1});
                }
            }
        }
        return false;
    }
}

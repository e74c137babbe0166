package com.google.re2j;

import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The limits that Go's {@code regexp/syntax} parser puts on a regular expression, checked on RE2/J's parse tree
 * (RE2/J ports Go's parser, and so builds the same tree, but not these limits, so a pattern Go refuses at once could
 * make RE2/J expand a program of billions of instructions): the product of nested counted repetitions at most 1000
 * ({@code invalid repeat count}), a compiled size estimate of at most 128 MiB of instructions and runes
 * ({@code expression too large}), a tree height of at most 1000 ({@code expression nests too deeply}).
 *
 * <p>This is posture's own code; it sits in RE2/J's package only to read the package-private parse tree
 * ({@code Parser.parse}, {@code Regexp}), which pins it to the RE2/J version in the build.
 */
public final class GoRegexpLimits {
    /** Go's maxRepeat: the largest count of one repetition, and of the product of nested ones. */
    public static final int MAX_REPEAT = 1000;
    /** Go's maxHeight. */
    public static final int MAX_HEIGHT = 1000;
    /** Go's maxSize: 128 MiB of 40-byte instructions. */
    public static final long MAX_SIZE = (128L << 20) / 40;
    /** Go's maxRunes: 128 MiB of 4-byte runes. */
    public static final long MAX_RUNES = (128L << 20) / 4;

    private GoRegexpLimits() {
    }

    /**
     * Checks {@code regex} as {@link Pattern#compile(String)} would parse it. Returns Go's estimate of the compiled
     * size in instructions; throws {@link PatternSyntaxException} with Go's message for a syntax error or when a
     * limit is exceeded.
     */
    public static long check(String regex) {
        Regexp root = Parser.parse(regex, RE2.PERL);
        Map<Regexp, long[]> done = new IdentityHashMap<>(); // node -> {size, height, repeat product}
        long runes = 0;
        ArrayDeque<Regexp> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            Regexp re = stack.peek();
            if (done.containsKey(re)) {
                stack.pop();
                continue;
            }
            boolean ready = true;
            if (re.subs != null) {
                for (int i = re.subs.length - 1; i >= 0; i--) {
                    if (!done.containsKey(re.subs[i])) {
                        stack.push(re.subs[i]);
                        ready = false;
                    }
                }
            }
            if (!ready) {
                continue;
            }
            stack.pop();
            runes += re.runes == null ? 0 : re.runes.length;
            if (runes > MAX_RUNES) {
                throw new PatternSyntaxException("expression too large", regex);
            }
            long[] m = measure(re, done);
            done.put(re, m);
            if (m[0] > MAX_SIZE) {
                throw new PatternSyntaxException("expression too large", regex);
            }
            if (m[1] > MAX_HEIGHT) {
                throw new PatternSyntaxException("expression nests too deeply", regex);
            }
            if (re.op == Regexp.Op.REPEAT && (re.min >= 2 || re.max >= 2) && m[2] > MAX_REPEAT) {
                throw new PatternSyntaxException("invalid repeat count",
                        "{" + re.min + (re.max == re.min ? "" : "," + (re.max == -1 ? "" : String.valueOf(re.max))) + "}");
            }
        }
        return done.get(root)[0];
    }

    /** Go's calcSize, the height, and the largest product of nested repetition counts below (as repeatIsValid sees it). */
    private static long[] measure(Regexp re, Map<Regexp, long[]> done) {
        long size = 0;
        long height = 1;
        long product = 1;
        long subSize = 0;
        if (re.subs != null) {
            for (Regexp sub : re.subs) {
                long[] s = done.get(sub);
                subSize = sat(subSize + s[0]);
                height = Math.max(height, s[1] + 1);
                product = Math.max(product, s[2]);
            }
        }
        long sub0 = re.subs != null && re.subs.length > 0 ? done.get(re.subs[0])[0] : 0;
        switch (re.op) {
            case LITERAL -> size = re.runes == null ? 0 : re.runes.length;
            case CAPTURE, STAR -> size = sat(2 + sub0);
            case PLUS, QUEST -> size = sat(1 + sub0);
            case CONCAT -> size = subSize;
            case ALTERNATE -> size = sat(subSize + Math.max(0, re.subs.length - 1));
            case REPEAT -> {
                if (re.max == -1) {
                    size = re.min == 0 ? sat(2 + sub0) : sat(1 + mul(re.min, sub0));
                } else {
                    size = sat(mul(re.max, sub0) + (re.max - re.min));
                }
                long count = re.max == -1 ? re.min : re.max;
                product = count == 0 ? 1 : mul(count, product);
            }
            default -> size = 0;
        }
        return new long[] {Math.max(1, size), height, product};
    }

    private static long mul(long a, long b) {
        return b != 0 && a > Long.MAX_VALUE / 4 / b ? Long.MAX_VALUE / 4 : a * b;
    }

    private static long sat(long v) {
        return v < 0 || v > Long.MAX_VALUE / 4 ? Long.MAX_VALUE / 4 : v;
    }
}

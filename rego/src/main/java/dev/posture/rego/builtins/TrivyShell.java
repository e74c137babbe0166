package dev.posture.rego.builtins;

import dev.posture.rego.value.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code sh.parse_commands(script)}: Trivy's helper that splits a shell script (a Dockerfile RUN line) into its simple
 * commands, each an array of its words as written (quotes kept). Commands are separated by {@code && || ; | &},
 * newlines, parentheses and braces; leading {@code NAME=value} assignments and redirections ({@code > f},
 * {@code 2>&1}, here-documents with their bodies) are not words of the command, nor are the reserved words of
 * compound commands ({@code if ... then ... fi}, {@code for x in ...; do ... done}); {@code #}
 * starts a comment; a backslash-newline continues the line. As Trivy walks the syntax tree in preorder, the commands
 * inside a word's {@code $(...)} or backquotes follow the command that holds them. Like {@link TrivyResult}, a
 * host-provided helper.
 */
public final class TrivyShell {
    public static final String NAME = "sh.parse_commands";

    private TrivyShell() {
    }

    public static Value call(Value[] args, BuiltinContext ctx) {
        String script = Args.str(args, 0);
        List<Value> out = new ArrayList<>();
        for (List<String> cmd : parse(script)) {
            out.add(Value.arr(cmd.stream().<Value>map(Value::str).toList()));
        }
        return Value.arr(out);
    }

    static List<List<String>> parse(String s) {
        List<List<String>> cmds = new ArrayList<>();
        List<String> cur = new ArrayList<>();
        StringBuilder word = null;
        List<String> heredocs = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < n && s.charAt(i + 1) == '\n') {
                i += 2;
                continue;
            }
            if (isRedirection(s, i, word)) {
                // a redirection (with its fd number and target) is not a word of the command
                if (word != null && !word.chars().allMatch(Character::isDigit)) {
                    endWord(word, cur);
                }
                word = null;
                int op = i;
                while (op < n && "<>&|-".indexOf(s.charAt(op)) >= 0 && op - i < 3) {
                    op++;
                }
                String operator = s.substring(i, op);
                while (op < n && (s.charAt(op) == ' ' || s.charAt(op) == '\t')) {
                    op++;
                }
                int end = wordEnd(s, op);
                if (operator.startsWith("<<") && !operator.equals("<<<")) {
                    heredocs.add(s.substring(op, end).replace("'", "").replace("\"", "") + (operator.endsWith("-") ? "\t" : ""));
                }
                i = end;
                continue;
            }
            if (c == '\n' && !heredocs.isEmpty()) {
                i = skipHeredocs(s, i + 1, heredocs) - 1;
                heredocs.clear();
                c = '\n';
            }
            if (word == null && c == '#') {
                while (i < n && s.charAt(i) != '\n') {
                    i++;
                }
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\r') {
                word = endWord(word, cur);
                i++;
                continue;
            }
            if (c == '\n' || c == ';' || c == '&' || c == '|' || c == '(' || c == ')'
                    || (word == null && (c == '{' || c == '}') && (i + 1 == n || isSpace(s.charAt(i + 1))))) {
                endWord(word, cur);
                word = null;
                if (!cur.isEmpty()) {
                    addCommand(cmds, cur);
                    cur = new ArrayList<>();
                }
                i++;
                continue;
            }
            if (word == null) {
                word = new StringBuilder();
            }
            if (c == '\'' || c == '"' || c == '`') {
                int end = closing(s, i, c);
                word.append(s, i, end);
                i = end;
            } else if ((c == '$' || c == '<' || c == '>') && i + 1 < n && s.charAt(i + 1) == '(') {
                int end = closingParen(s, i + 1);
                word.append(s, i, end);
                i = end;
            } else if (c == '\\' && i + 1 < n) {
                word.append(s, i, i + 2);
                i += 2;
            } else {
                word.append(c);
                i++;
            }
        }
        endWord(word, cur);
        if (!cur.isEmpty()) {
            addCommand(cmds, cur);
        }
        return cmds;
    }

    /** Reserved words that open or continue a compound command; they are not words of the simple command after them. */
    private static final java.util.Set<String> RESERVED = java.util.Set.of("if", "then", "else", "elif", "fi", "do", "done",
            "while", "until", "!", "{", "}", "esac");

    /** Adds a command, then the commands substituted inside its words. */
    private static void addCommand(List<List<String>> cmds, List<String> words) {
        int start = 0;
        while (start < words.size() && RESERVED.contains(words.get(start))) {
            start++;
        }
        List<String> cmd = words.subList(start, words.size());
        if (cmd.isEmpty() || cmd.get(0).equals("for") || cmd.get(0).equals("select") || cmd.get(0).equals("case")) {
            return; // "for x in a b" / "case w in" clauses are not simple commands
        }
        cmds.add(new ArrayList<>(cmd));
        for (String w : cmd) {
            for (int i = 0; i < w.length(); i++) {
                char c = w.charAt(i);
                if (c == '\\') {
                    i++;
                } else if (c == '\'') {
                    i = closing(w, i, c) - 1;
                } else if ((c == '$' || c == '<' || c == '>') && i + 1 < w.length() && w.charAt(i + 1) == '(') {
                    int end = closingParen(w, i + 1);
                    cmds.addAll(parse(w.substring(i + 2, Math.max(i + 2, end - 1))));
                    i = end - 1;
                } else if (c == '`') {
                    int end = closing(w, i, c);
                    cmds.addAll(parse(w.substring(i + 1, Math.max(i + 1, end - 1))));
                    i = end - 1;
                }
            }
        }
    }

    /** At {@code i} starts a redirection operator: {@code > >> >| >& < << <<- <<< <& <> &> &>>} (after an fd number). */
    private static boolean isRedirection(String s, int i, StringBuilder word) {
        char c = s.charAt(i);
        if (c == '&') {
            return word == null && i + 1 < s.length() && s.charAt(i + 1) == '>';
        }
        // <(...) and >(...) are process substitutions, not redirections
        return (c == '<' || c == '>') && !(i + 1 < s.length() && s.charAt(i + 1) == '(');
    }

    /** End of the word starting at {@code i} (quotes, substitutions and escapes included). */
    private static int wordEnd(String s, int i) {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (" \t\r\n;&|()<>".indexOf(c) >= 0) {
                return i;
            }
            if (c == '\'' || c == '"' || c == '`') {
                i = closing(s, i, c);
            } else if (c == '$' && i + 1 < s.length() && s.charAt(i + 1) == '(') {
                i = closingParen(s, i + 1);
            } else {
                i += c == '\\' ? 2 : 1;
            }
        }
        return Math.min(i, s.length());
    }

    /** Skips here-document bodies from {@code i} (a line start); a delimiter ending in a tab allows leading tabs. */
    private static int skipHeredocs(String s, int i, List<String> delimiters) {
        for (String d : delimiters) {
            boolean tabs = d.endsWith("\t");
            String delim = tabs ? d.substring(0, d.length() - 1) : d;
            while (i < s.length()) {
                int eol = s.indexOf('\n', i);
                String line = s.substring(i, eol < 0 ? s.length() : eol);
                i = eol < 0 ? s.length() : eol + 1;
                if ((tabs ? line.replaceFirst("^\t+", "") : line).equals(delim)) {
                    break;
                }
            }
        }
        return i;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ';';
    }

    /** Adds the word unless it is a leading assignment; returns null (no word open). */
    private static StringBuilder endWord(StringBuilder word, List<String> cur) {
        if (word != null) {
            String w = word.toString();
            if (!(cur.isEmpty() && w.matches("[A-Za-z_][A-Za-z0-9_]*=.*"))) {
                cur.add(w);
            }
        }
        return null;
    }

    /** Index just past the quote closing the one at {@code start} (backslash escapes inside "..." and `...`). */
    private static int closing(String s, int start, char q) {
        int i = start + 1;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\' && q != '\'' && i + 1 < s.length()) {
                i += 2;
                continue;
            }
            if (c == q) {
                return i + 1;
            }
            i++;
        }
        return s.length();
    }

    private static int closingParen(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                i = closing(s, i, c) - 1;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i + 1;
            }
        }
        return s.length();
    }
}

package dev.posture.rego.parser;

import dev.posture.rego.RegoError;
import dev.posture.rego.ast.Location;
import java.util.ArrayList;
import java.util.List;

/** Tokenizer for Rego source. */
public final class Lexer {
    public enum T { IDENT, NUMBER, STRING, LBRACE, RBRACE, LBRACK, RBRACK, LPAREN, RPAREN, DOT, COMMA, SEMI, COLON,
        ASSIGN, UNIFY, EQ, NEQ, LT, LTE, GT, GTE, PLUS, MINUS, STAR, SLASH, PERCENT, BAR, AMP, EOF }

    /** A token; {@code nl} is true when a newline precedes it, {@code ws} when any whitespace does. */
    public record Tok(T type, String text, int row, int col, int pos, int end, boolean nl, boolean ws) {
    }

    /** A comment line: row, column and text after '#'. */
    public record Comment(int row, int col, String text) {
    }

    private final String src;
    private final String file;
    private int pos;
    private int row = 1;
    private int lineStart;
    public final List<Tok> tokens = new ArrayList<>();
    public final List<Comment> comments = new ArrayList<>();

    public Lexer(String file, String src) {
        this.file = file;
        this.src = src;
        run();
    }

    private RegoError err(String msg, int r, int c) {
        return new RegoError("rego_parse_error", new Location(file, r, c), msg);
    }

    private void run() {
        boolean nl = false;
        boolean ws = false;
        while (true) {
            // skip whitespace and comments
            while (pos < src.length()) {
                char c = src.charAt(pos);
                if (c == '\n') {
                    nl = true;
                    ws = true;
                    pos++;
                    row++;
                    lineStart = pos;
                } else if (c == ' ' || c == '\t' || c == '\r' || c == '\uFEFF') {
                    ws = true;
                    pos++;
                } else if (c == '#') {
                    int s = pos;
                    while (pos < src.length() && src.charAt(pos) != '\n') {
                        pos++;
                    }
                    comments.add(new Comment(row, s - lineStart + 1, src.substring(s + 1, pos)));
                    ws = true;
                } else {
                    break;
                }
            }
            int startRow = row;
            int startCol = pos - lineStart + 1;
            int start = pos;
            if (pos >= src.length()) {
                tokens.add(new Tok(T.EOF, "", startRow, startCol, pos, pos, true, true));
                return;
            }
            char c = src.charAt(pos);
            T type;
            String text = null;
            if (Character.isLetter(c) || c == '_') {
                while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
                    pos++;
                }
                type = T.IDENT;
            } else if (Character.isDigit(c)) {
                while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                    pos++;
                }
                if (pos + 1 < src.length() && src.charAt(pos) == '.' && Character.isDigit(src.charAt(pos + 1))) {
                    pos++;
                    while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                        pos++;
                    }
                }
                if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
                    int save = pos;
                    pos++;
                    if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) {
                        pos++;
                    }
                    if (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                        while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                            pos++;
                        }
                    } else {
                        pos = save;
                    }
                }
                type = T.NUMBER;
            } else if (c == '"') {
                text = readString(startRow, startCol);
                type = T.STRING;
            } else if (c == '`') {
                pos++;
                int s = pos;
                while (pos < src.length() && src.charAt(pos) != '`') {
                    if (src.charAt(pos) == '\n') {
                        row++;
                        lineStart = pos + 1;
                    }
                    pos++;
                }
                if (pos >= src.length()) {
                    throw err("non-terminated raw string", startRow, startCol);
                }
                text = src.substring(s, pos);
                pos++;
                type = T.STRING;
            } else {
                pos++;
                char n = pos < src.length() ? src.charAt(pos) : '\0';
                switch (c) {
                    case '{' -> type = T.LBRACE;
                    case '}' -> type = T.RBRACE;
                    case '[' -> type = T.LBRACK;
                    case ']' -> type = T.RBRACK;
                    case '(' -> type = T.LPAREN;
                    case ')' -> type = T.RPAREN;
                    case '.' -> type = T.DOT;
                    case ',' -> type = T.COMMA;
                    case ';' -> type = T.SEMI;
                    case ':' -> {
                        if (n == '=') {
                            pos++;
                            type = T.ASSIGN;
                        } else {
                            type = T.COLON;
                        }
                    }
                    case '=' -> {
                        if (n == '=') {
                            pos++;
                            type = T.EQ;
                        } else {
                            type = T.UNIFY;
                        }
                    }
                    case '!' -> {
                        if (n == '=') {
                            pos++;
                            type = T.NEQ;
                        } else {
                            throw err("illegal token '!'", startRow, startCol);
                        }
                    }
                    case '<' -> {
                        if (n == '=') {
                            pos++;
                            type = T.LTE;
                        } else {
                            type = T.LT;
                        }
                    }
                    case '>' -> {
                        if (n == '=') {
                            pos++;
                            type = T.GTE;
                        } else {
                            type = T.GT;
                        }
                    }
                    case '+' -> type = T.PLUS;
                    case '-' -> type = T.MINUS;
                    case '*' -> type = T.STAR;
                    case '/' -> type = T.SLASH;
                    case '%' -> type = T.PERCENT;
                    case '|' -> type = T.BAR;
                    case '&' -> type = T.AMP;
                    default -> throw err("illegal token '" + c + "'", startRow, startCol);
                }
            }
            if (text == null) {
                text = src.substring(start, pos);
            }
            tokens.add(new Tok(type, text, startRow, startCol, start, pos, nl, ws));
            nl = false;
            ws = false;
        }
    }

    private String readString(int r, int c) {
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= src.length() || src.charAt(pos) == '\n') {
                throw err("non-terminated string", r, c);
            }
            char ch = src.charAt(pos++);
            if (ch == '"') {
                return sb.toString();
            }
            if (ch != '\\') {
                sb.append(ch);
                continue;
            }
            if (pos >= src.length()) {
                throw err("non-terminated string", r, c);
            }
            char e = src.charAt(pos++);
            switch (e) {
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case '/' -> sb.append('/');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 4 > src.length()) {
                        throw err("illegal escape sequence", r, c);
                    }
                    try {
                        sb.append((char) Integer.parseInt(src.substring(pos, pos + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw err("illegal escape sequence", r, c);
                    }
                    pos += 4;
                }
                default -> throw err("illegal escape sequence", r, c);
            }
        }
    }
}

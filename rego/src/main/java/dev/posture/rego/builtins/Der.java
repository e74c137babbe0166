package dev.posture.rego.builtins;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

/** A minimal DER reader: enough to walk certificates, CSRs and key structures. */
final class Der {
    private Der() {
    }

    /** One TLV; constructed nodes have children. */
    record Node(int tag, byte[] content, List<Node> children, byte[] encoded) {
    }

    static Node parse(byte[] der) throws GeneralSecurityException {
        int[] pos = {0};
        Node n = read(der, pos, der.length);
        return n;
    }

    private static Node read(byte[] b, int[] pos, int end) throws GeneralSecurityException {
        int start = pos[0];
        if (start + 2 > end) {
            throw new GeneralSecurityException("asn1: syntax error: data truncated");
        }
        int tag = b[pos[0]++] & 0xFF;
        int len = b[pos[0]++] & 0xFF;
        if (len >= 0x80) {
            int k = len & 0x7F;
            if (k == 0 || k > 4 || pos[0] + k > end) {
                throw new GeneralSecurityException("asn1: syntax error: invalid length");
            }
            len = 0;
            for (int i = 0; i < k; i++) {
                len = (len << 8) | (b[pos[0]++] & 0xFF);
            }
        }
        if (len < 0 || pos[0] + len > end) {
            throw new GeneralSecurityException("asn1: syntax error: data truncated");
        }
        byte[] content = java.util.Arrays.copyOfRange(b, pos[0], pos[0] + len);
        List<Node> kids = new ArrayList<>();
        if ((tag & 0x20) != 0) {
            int[] p = {pos[0]};
            while (p[0] < pos[0] + len) {
                kids.add(read(b, p, pos[0] + len));
            }
        }
        pos[0] += len;
        return new Node(tag, content, kids, java.util.Arrays.copyOfRange(b, start, pos[0]));
    }

    static String oid(byte[] c) {
        StringBuilder sb = new StringBuilder();
        BigInteger v = BigInteger.ZERO;
        boolean first = true;
        for (byte x : c) {
            v = v.shiftLeft(7).or(BigInteger.valueOf(x & 0x7F));
            if ((x & 0x80) == 0) {
                if (first) {
                    int f = v.compareTo(BigInteger.valueOf(80)) >= 0 ? 2 : v.intValue() / 40;
                    sb.append(f).append('.').append(v.subtract(BigInteger.valueOf(40L * f)));
                    first = false;
                } else {
                    sb.append('.').append(v);
                }
                v = BigInteger.ZERO;
            }
        }
        return sb.toString();
    }

    /** Text of a directory string (UTF8, Printable, IA5, T61, BMP, Universal). */
    static String string(Node n) {
        return switch (n.tag()) {
            case 0x1E -> new String(n.content(), java.nio.charset.StandardCharsets.UTF_16BE);
            case 0x1C -> new String(n.content(), java.nio.charset.Charset.forName("UTF-32BE"));
            case 0x14 -> new String(n.content(), java.nio.charset.StandardCharsets.ISO_8859_1);
            default -> new String(n.content(), java.nio.charset.StandardCharsets.UTF_8);
        };
    }
}

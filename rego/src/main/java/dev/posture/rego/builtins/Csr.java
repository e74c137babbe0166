package dev.posture.rego.builtins;

import dev.posture.rego.value.Value;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** crypto.x509.parse_certificate_request: Go's x509.CertificateRequest as JSON. */
final class Csr {
    private Csr() {
    }

    static final String EXTENSION_REQUEST = "1.2.840.113549.1.9.14";

    static Value parse(String s) {
        byte[] b;
        if (s.startsWith("-----BEGIN CERTIFICATE REQUEST-----")) {
            b = s.getBytes(StandardCharsets.UTF_8);
        } else {
            b = X509.base64(s);
        }
        if (X509.isPem(b)) {
            List<Keys.Pem> blocks = Keys.pemBlocks(new String(b, StandardCharsets.UTF_8));
            if (!blocks.isEmpty()) {
                if (!blocks.get(0).type().equals("CERTIFICATE REQUEST")) {
                    throw BuiltinError.err("invalid PEM-encoded certificate signing request");
                }
                b = blocks.get(0).der();
            }
        }
        try {
            return value(b);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw BuiltinError.err("asn1: structure error: malformed certificate request");
        }
    }

    static Value value(byte[] der) throws GeneralSecurityException {
        Der.Node top = Der.parse(der);
        Der.Node info = top.children().get(0);
        List<Der.Node> f = info.children();
        Der.Node subject = f.get(1);
        Der.Node spki = f.get(2);
        String sigOid = Der.oid(top.children().get(1).children().get(0).content());
        byte[] sigBits = top.children().get(2).content();
        Map<Value, Value> m = new LinkedHashMap<>();
        GoX509.put(m, "Raw", GoX509.b64(der));
        GoX509.put(m, "RawTBSCertificateRequest", GoX509.b64(info.encoded()));
        GoX509.put(m, "RawSubjectPublicKeyInfo", GoX509.b64(spki.encoded()));
        GoX509.put(m, "RawSubject", GoX509.b64(subject.encoded()));
        GoX509.put(m, "Version", Value.num(new java.math.BigInteger(f.get(0).content()).intValue()));
        GoX509.put(m, "Signature", GoX509.b64(java.util.Arrays.copyOfRange(sigBits, 1, sigBits.length)));
        GoX509.put(m, "SignatureAlgorithm", Value.num(GoX509.sigAlg(sigOid)));
        GoX509.put(m, "PublicKeyAlgorithm", Value.num(GoX509.pubAlg(Keys.spkiAlgorithm(spki.encoded()))));
        java.security.PublicKey pk;
        try {
            pk = Keys.publicKey(spki.encoded());
        } catch (GeneralSecurityException e) {
            pk = null;
        }
        GoX509.put(m, "PublicKey", GoX509.publicKey(pk));
        GoX509.put(m, "Subject", GoX509.name(subject));
        List<Value> attrs = new ArrayList<>();
        List<GoX509.Ext> exts = new ArrayList<>();
        if (f.size() > 3 && f.get(3).tag() == 0xA0) {
            for (Der.Node attr : f.get(3).children()) {
                String oid = Der.oid(attr.children().get(0).content());
                List<Value> values = new ArrayList<>();
                for (Der.Node v : attr.children().get(1).children()) {
                    if (oid.equals(EXTENSION_REQUEST)) {
                        exts.addAll(GoX509.extensions(v));
                    }
                    List<Value> atvs = new ArrayList<>();
                    for (Der.Node atv : v.children()) {
                        if (atv.children().size() >= 2 && atv.children().get(0).tag() == 0x06) {
                            Map<Value, Value> x = new LinkedHashMap<>();
                            x.put(Value.str("Type"), GoX509.oidArr(Der.oid(atv.children().get(0).content())));
                            Der.Node last = atv.children().get(atv.children().size() - 1);
                            x.put(Value.str("Value"), last.tag() == 0x04 ? GoX509.b64(last.content()) : Value.str(Der.string(last)));
                            atvs.add(Value.obj(x));
                        }
                    }
                    values.add(Value.arr(atvs));
                }
                Map<Value, Value> a = new LinkedHashMap<>();
                a.put(Value.str("Type"), GoX509.oidArr(oid));
                a.put(Value.str("Value"), Value.arr(values));
                attrs.add(Value.obj(a));
            }
        }
        GoX509.put(m, "Attributes", GoX509.list(attrs));
        GoX509.put(m, "Extensions", GoX509.extValues(exts));
        GoX509.put(m, "ExtraExtensions", Value.NULL);
        GoX509.Sans sans = GoX509.sans(null);
        for (GoX509.Ext e : exts) {
            if (e.oid().equals("2.5.29.17")) {
                sans = GoX509.sans(e.value());
            }
        }
        GoX509.put(m, "DNSNames", GoX509.strs(sans.dns()));
        GoX509.put(m, "EmailAddresses", GoX509.strs(sans.email()));
        GoX509.put(m, "IPAddresses", GoX509.strs(sans.ip()));
        List<Value> uris = new ArrayList<>();
        sans.uri().forEach(u -> uris.add(GoX509.uri(u)));
        GoX509.put(m, "URIs", GoX509.list(uris));
        return Value.obj(m);
    }
}

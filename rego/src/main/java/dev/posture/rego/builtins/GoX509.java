package dev.posture.rego.builtins;

import dev.posture.rego.value.Value;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Certificates as OPA returns them: the JSON encoding of Go's x509.Certificate (exported field names, []byte as
 * base64, big integers as numbers, times as RFC 3339, absent lists as null), plus OPA's URIStrings.
 */
final class GoX509 {
    private GoX509() {
    }

    static final Value NULL = Value.NULL;

    static Value b64(byte[] b) {
        return b == null ? NULL : Value.str(Base64.getEncoder().encodeToString(b));
    }

    static Value num(BigInteger b) {
        return Value.num(new java.math.BigDecimal(b));
    }

    static Value strs(List<String> l) {
        if (l == null || l.isEmpty()) {
            return NULL;
        }
        List<Value> out = new ArrayList<>();
        l.forEach(s -> out.add(Value.str(s)));
        return Value.arr(out);
    }

    static Value oidArr(String oid) {
        List<Value> out = new ArrayList<>();
        for (String p : oid.split("\\.")) {
            out.add(Value.num(new java.math.BigDecimal(p)));
        }
        return Value.arr(out);
    }

    static Value time(java.util.Date d) {
        return Value.str(DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(d.getTime())));
    }

    /** Go's x509.SignatureAlgorithm number for a signature algorithm OID. */
    static int sigAlg(String oid) {
        return switch (oid) {
            case "1.2.840.113549.1.1.2" -> 1;
            case "1.2.840.113549.1.1.4" -> 2;
            case "1.2.840.113549.1.1.5" -> 3;
            case "1.2.840.113549.1.1.11" -> 4;
            case "1.2.840.113549.1.1.12" -> 5;
            case "1.2.840.113549.1.1.13" -> 6;
            case "1.2.840.10040.4.3" -> 7;
            case "2.16.840.1.101.3.4.3.2" -> 8;
            case "1.2.840.10045.4.1" -> 9;
            case "1.2.840.10045.4.3.2" -> 10;
            case "1.2.840.10045.4.3.3" -> 11;
            case "1.2.840.10045.4.3.4" -> 12;
            case "1.2.840.113549.1.1.10" -> 13;
            case "1.3.101.112" -> 16;
            default -> 0;
        };
    }

    static int pubAlg(String oid) {
        return switch (oid) {
            case "1.2.840.113549.1.1.1" -> 1;
            case "1.2.840.10040.4.1" -> 2;
            case "1.2.840.10045.2.1" -> 3;
            case "1.3.101.112" -> 4;
            default -> 0;
        };
    }

    static Value publicKey(PublicKey k) {
        Map<Value, Value> m = new LinkedHashMap<>();
        if (k instanceof RSAPublicKey r) {
            m.put(Value.str("N"), num(r.getModulus()));
            m.put(Value.str("E"), num(r.getPublicExponent()));
        } else if (k instanceof ECPublicKey e) {
            // Go's elliptic curves have no exported fields, so the curve encodes as {}
            m.put(Value.str("Curve"), Value.EMPTY_OBJECT);
            m.put(Value.str("X"), num(e.getW().getAffineX()));
            m.put(Value.str("Y"), num(e.getW().getAffineY()));
        } else if (k != null && k.getAlgorithm().startsWith("Ed")) {
            byte[] enc = k.getEncoded();
            return b64(java.util.Arrays.copyOfRange(enc, enc.length - 32, enc.length));
        } else {
            return NULL;
        }
        return Value.obj(m);
    }

    /** pkix.Name from a DER Name. */
    static Value name(Der.Node n) {
        Map<String, List<String>> attrs = new LinkedHashMap<>();
        List<Value> names = new ArrayList<>();
        String serial = "";
        String cn = "";
        for (Der.Node set : n.children()) {
            for (Der.Node atv : set.children()) {
                if (atv.children().size() < 2) {
                    continue;
                }
                String oid = Der.oid(atv.children().get(0).content());
                String val = Der.string(atv.children().get(1));
                Map<Value, Value> nm = new LinkedHashMap<>();
                nm.put(Value.str("Type"), oidArr(oid));
                nm.put(Value.str("Value"), Value.str(val));
                names.add(Value.obj(nm));
                String field = switch (oid) {
                    case "2.5.4.6" -> "Country";
                    case "2.5.4.10" -> "Organization";
                    case "2.5.4.11" -> "OrganizationalUnit";
                    case "2.5.4.7" -> "Locality";
                    case "2.5.4.8" -> "Province";
                    case "2.5.4.9" -> "StreetAddress";
                    case "2.5.4.17" -> "PostalCode";
                    default -> null;
                };
                if (field != null) {
                    attrs.computeIfAbsent(field, x -> new ArrayList<>()).add(val);
                } else if (oid.equals("2.5.4.5")) {
                    serial = val;
                } else if (oid.equals("2.5.4.3")) {
                    cn = val;
                }
            }
        }
        Map<Value, Value> m = new LinkedHashMap<>();
        for (String f : List.of("Country", "Organization", "OrganizationalUnit", "Locality", "Province", "StreetAddress", "PostalCode")) {
            m.put(Value.str(f), strs(attrs.get(f)));
        }
        m.put(Value.str("SerialNumber"), Value.str(serial));
        m.put(Value.str("CommonName"), Value.str(cn));
        m.put(Value.str("Names"), names.isEmpty() ? NULL : Value.arr(names));
        m.put(Value.str("ExtraNames"), NULL);
        return Value.obj(m);
    }

    /** Subject alternative names, split by kind as Go does. */
    record Sans(List<String> dns, List<String> email, List<String> ip, List<String> uri) {
    }

    static Sans sans(byte[] extValue) throws GeneralSecurityException {
        Sans s = new Sans(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        if (extValue == null) {
            return s;
        }
        for (Der.Node g : Der.parse(extValue).children()) {
            String text = new String(g.content(), java.nio.charset.StandardCharsets.UTF_8);
            switch (g.tag() & 0x1F) {
                case 1 -> s.email.add(text);
                case 2 -> s.dns.add(text);
                case 6 -> s.uri.add(text);
                case 7 -> s.ip.add(ipText(g.content()));
                default -> {
                }
            }
        }
        return s;
    }

    static String ipText(byte[] b) {
        if (b.length == 4) {
            return (b[0] & 0xFF) + "." + (b[1] & 0xFF) + "." + (b[2] & 0xFF) + "." + (b[3] & 0xFF);
        }
        if (b.length == 16) {
            return NetCidr.ipv6(b);
        }
        return "?" + Encoding.hex(b);
    }

    static Value uri(String s) {
        java.net.URI u;
        try {
            u = new java.net.URI(s);
        } catch (java.net.URISyntaxException e) {
            return NULL;
        }
        Map<Value, Value> m = new LinkedHashMap<>();
        m.put(Value.str("Scheme"), Value.str(u.getScheme() == null ? "" : u.getScheme()));
        m.put(Value.str("Opaque"), Value.str(u.isOpaque() ? u.getRawSchemeSpecificPart() : ""));
        m.put(Value.str("User"), NULL);
        m.put(Value.str("Host"), Value.str(u.getRawAuthority() == null ? "" : u.getRawAuthority()));
        m.put(Value.str("Path"), Value.str(u.getPath() == null ? "" : u.getPath()));
        m.put(Value.str("RawPath"), Value.str(""));
        m.put(Value.str("OmitHost"), Value.bool(false));
        m.put(Value.str("ForceQuery"), Value.bool(false));
        m.put(Value.str("RawQuery"), Value.str(u.getRawQuery() == null ? "" : u.getRawQuery()));
        m.put(Value.str("Fragment"), Value.str(u.getFragment() == null ? "" : u.getFragment()));
        m.put(Value.str("RawFragment"), Value.str(""));
        return Value.obj(m);
    }

    static Value list(List<Value> l) {
        return l.isEmpty() ? NULL : Value.arr(l);
    }

    static final Map<String, Integer> EKU = Map.ofEntries(Map.entry("2.5.29.37.0", 0), Map.entry("1.3.6.1.5.5.7.3.1", 1),
            Map.entry("1.3.6.1.5.5.7.3.2", 2), Map.entry("1.3.6.1.5.5.7.3.3", 3), Map.entry("1.3.6.1.5.5.7.3.4", 4),
            Map.entry("1.3.6.1.5.5.7.3.5", 5), Map.entry("1.3.6.1.5.5.7.3.6", 6), Map.entry("1.3.6.1.5.5.7.3.7", 7),
            Map.entry("1.3.6.1.5.5.7.3.8", 8), Map.entry("1.3.6.1.5.5.7.3.9", 9), Map.entry("1.3.6.1.4.1.311.10.3.3", 10),
            Map.entry("2.16.840.1.113730.4.1", 11), Map.entry("1.3.6.1.4.1.311.2.1.22", 12), Map.entry("1.3.6.1.4.1.311.61.1.1", 13));

    /** The extensions of a certificate: [oid, critical, value] in order. */
    record Ext(String oid, boolean critical, byte[] value) {
    }

    static List<Ext> extensions(Der.Node extsSeq) {
        List<Ext> out = new ArrayList<>();
        for (Der.Node e : extsSeq.children()) {
            List<Der.Node> f = e.children();
            boolean crit = f.size() == 3 && f.get(1).tag() == 0x01 && f.get(1).content().length > 0 && f.get(1).content()[0] != 0;
            out.add(new Ext(Der.oid(f.get(0).content()), crit, f.get(f.size() - 1).content()));
        }
        return out;
    }

    static Value extValues(List<Ext> exts) {
        List<Value> out = new ArrayList<>();
        for (Ext e : exts) {
            Map<Value, Value> m = new LinkedHashMap<>();
            m.put(Value.str("Id"), oidArr(e.oid()));
            m.put(Value.str("Critical"), Value.bool(e.critical()));
            m.put(Value.str("Value"), b64(e.value()));
            out.add(Value.obj(m));
        }
        return list(out);
    }

    static Value certificate(X509Certificate c) throws GeneralSecurityException {
        byte[] raw = c.getEncoded();
        Der.Node cert = Der.parse(raw);
        Der.Node tbs = cert.children().get(0);
        List<Der.Node> t = tbs.children();
        int i = t.get(0).tag() == 0xA0 ? 1 : 0;
        Der.Node issuer = t.get(i + 2);
        Der.Node subject = t.get(i + 4);
        Der.Node spki = t.get(i + 5);
        List<Ext> exts = new ArrayList<>();
        for (Der.Node n : t) {
            if (n.tag() == 0xA3 && !n.children().isEmpty()) {
                exts = extensions(n.children().get(0));
            }
        }
        Map<Value, Value> m = new LinkedHashMap<>();
        put(m, "Raw", b64(raw));
        put(m, "RawTBSCertificate", b64(tbs.encoded()));
        put(m, "RawSubjectPublicKeyInfo", b64(spki.encoded()));
        put(m, "RawSubject", b64(subject.encoded()));
        put(m, "RawIssuer", b64(issuer.encoded()));
        put(m, "Signature", b64(c.getSignature()));
        put(m, "SignatureAlgorithm", Value.num(sigAlg(c.getSigAlgOID())));
        put(m, "PublicKeyAlgorithm", Value.num(pubAlg(Keys.spkiAlgorithm(tbsSpki(spki)))));
        PublicKey pk;
        try {
            pk = c.getPublicKey();
        } catch (RuntimeException e) {
            pk = null;
        }
        put(m, "PublicKey", publicKey(pk));
        put(m, "Version", Value.num(c.getVersion()));
        put(m, "SerialNumber", num(c.getSerialNumber()));
        put(m, "Issuer", name(issuer));
        put(m, "Subject", name(subject));
        put(m, "NotBefore", time(c.getNotBefore()));
        put(m, "NotAfter", time(c.getNotAfter()));
        int ku = 0;
        boolean[] kub = c.getKeyUsage();
        if (kub != null) {
            for (int b = 0; b < kub.length && b < 9; b++) {
                if (kub[b]) {
                    ku |= 1 << b;
                }
            }
        }
        put(m, "KeyUsage", Value.num(ku));
        put(m, "Extensions", extValues(exts));
        put(m, "ExtraExtensions", NULL);
        List<Value> unhandled = new ArrayList<>();
        put(m, "UnhandledCriticalExtensions", NULL);
        List<Value> eku = new ArrayList<>();
        List<Value> unknownEku = new ArrayList<>();
        boolean bcValid = false;
        boolean isCa = false;
        int maxPath = 0;
        Value skid = NULL;
        Value akid = NULL;
        List<String> ocsp = new ArrayList<>();
        List<String> issuing = new ArrayList<>();
        List<String> crl = new ArrayList<>();
        List<Value> policies = new ArrayList<>();
        List<Value> policyOids = new ArrayList<>();
        Sans sans = sans(null);
        for (Ext e : exts) {
            Der.Node v = Der.parse(e.value());
            switch (e.oid()) {
                case "2.5.29.19" -> {
                    bcValid = true;
                    maxPath = -1;
                    for (Der.Node f : v.children()) {
                        if (f.tag() == 0x01) {
                            isCa = f.content().length > 0 && f.content()[0] != 0;
                        } else if (f.tag() == 0x02) {
                            maxPath = new BigInteger(f.content()).intValue();
                        }
                    }
                }
                case "2.5.29.37" -> {
                    for (Der.Node f : v.children()) {
                        String oid = Der.oid(f.content());
                        if (EKU.containsKey(oid)) {
                            eku.add(Value.num(EKU.get(oid)));
                        } else {
                            unknownEku.add(oidArr(oid));
                        }
                    }
                }
                case "2.5.29.14" -> skid = b64(v.content());
                case "2.5.29.35" -> {
                    for (Der.Node f : v.children()) {
                        if (f.tag() == 0x80) {
                            akid = b64(f.content());
                        }
                    }
                }
                case "2.5.29.17" -> sans = sans(e.value());
                case "1.3.6.1.5.5.7.1.1" -> {
                    for (Der.Node ad : v.children()) {
                        String method = Der.oid(ad.children().get(0).content());
                        Der.Node loc = ad.children().get(1);
                        if (loc.tag() == 0x86) {
                            String u = new String(loc.content(), java.nio.charset.StandardCharsets.UTF_8);
                            if (method.equals("1.3.6.1.5.5.7.48.1")) {
                                ocsp.add(u);
                            } else if (method.equals("1.3.6.1.5.5.7.48.2")) {
                                issuing.add(u);
                            }
                        }
                    }
                }
                case "2.5.29.31" -> collectUris(v, crl);
                case "2.5.29.32" -> {
                    for (Der.Node pi : v.children()) {
                        String oid = Der.oid(pi.children().get(0).content());
                        policyOids.add(oidArr(oid));
                        policies.add(Value.str(oid));
                    }
                }
                default -> {
                    if (e.critical() && !KNOWN.contains(e.oid())) {
                        unhandled.add(oidArr(e.oid()));
                    }
                }
            }
        }
        put(m, "UnhandledCriticalExtensions", list(unhandled));
        put(m, "ExtKeyUsage", list(eku));
        put(m, "UnknownExtKeyUsage", list(unknownEku));
        put(m, "BasicConstraintsValid", Value.bool(bcValid));
        put(m, "IsCA", Value.bool(isCa));
        put(m, "MaxPathLen", Value.num(maxPath));
        put(m, "MaxPathLenZero", Value.bool(bcValid && maxPath == 0));
        put(m, "SubjectKeyId", skid);
        put(m, "AuthorityKeyId", akid);
        put(m, "OCSPServer", strs(ocsp));
        put(m, "IssuingCertificateURL", strs(issuing));
        put(m, "DNSNames", strs(sans.dns()));
        put(m, "EmailAddresses", strs(sans.email()));
        put(m, "IPAddresses", strs(sans.ip()));
        List<Value> uris = new ArrayList<>();
        sans.uri().forEach(u -> uris.add(uri(u)));
        put(m, "URIs", list(uris));
        put(m, "PermittedDNSDomainsCritical", Value.bool(false));
        for (String f : List.of("PermittedDNSDomains", "ExcludedDNSDomains", "PermittedIPRanges", "ExcludedIPRanges",
                "PermittedEmailAddresses", "ExcludedEmailAddresses", "PermittedURIDomains", "ExcludedURIDomains")) {
            put(m, f, NULL);
        }
        put(m, "CRLDistributionPoints", strs(crl));
        put(m, "PolicyIdentifiers", list(policyOids));
        put(m, "Policies", list(policies));
        put(m, "InhibitAnyPolicy", Value.num(0));
        put(m, "InhibitAnyPolicyZero", Value.bool(false));
        put(m, "InhibitPolicyMapping", Value.num(0));
        put(m, "InhibitPolicyMappingZero", Value.bool(false));
        put(m, "RequireExplicitPolicy", Value.num(0));
        put(m, "RequireExplicitPolicyZero", Value.bool(false));
        put(m, "PolicyMappings", NULL);
        put(m, "URIStrings", strs(sans.uri()));
        return Value.obj(m);
    }

    static final java.util.Set<String> KNOWN = java.util.Set.of("2.5.29.15", "2.5.29.19", "2.5.29.37", "2.5.29.14", "2.5.29.35", "2.5.29.17",
            "2.5.29.30", "2.5.29.31", "2.5.29.32", "1.3.6.1.5.5.7.1.1", "2.5.29.33", "2.5.29.36", "2.5.29.54");

    private static byte[] tbsSpki(Der.Node spki) {
        return spki.encoded();
    }

    private static void collectUris(Der.Node n, List<String> out) {
        if (n.tag() == 0x86) {
            out.add(new String(n.content(), java.nio.charset.StandardCharsets.UTF_8));
        }
        for (Der.Node k : n.children()) {
            collectUris(k, out);
        }
    }

    static void put(Map<Value, Value> m, String k, Value v) {
        m.put(Value.str(k), v);
    }
}

package dev.posture.rego.builtins;

import dev.posture.rego.value.Value;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Chain verification as crypto.x509.parse_and_verify_certificates does it with Go's x509.Verify: the first
 * certificate is the trusted root, the last the leaf, the others intermediates; the chain returned runs leaf to root.
 */
final class Chain {
    private Chain() {
    }

    /** Verify options; time in ms since the epoch (null: now); key usages as Go ExtKeyUsage numbers. */
    record Options(String dnsName, Long timeMillis, Set<Integer> keyUsages) {
        static final Options DEFAULT = new Options("", null, Set.of());

        static final Map<String, Integer> USAGES = Map.ofEntries(Map.entry("KeyUsageAny", 0), Map.entry("KeyUsageServerAuth", 1),
                Map.entry("KeyUsageClientAuth", 2), Map.entry("KeyUsageCodeSigning", 3), Map.entry("KeyUsageEmailProtection", 4),
                Map.entry("KeyUsageIPSECEndSystem", 5), Map.entry("KeyUsageIPSECTunnel", 6), Map.entry("KeyUsageIPSECUser", 7),
                Map.entry("KeyUsageTimeStamping", 8), Map.entry("KeyUsageOCSPSigning", 9),
                Map.entry("KeyUsageMicrosoftServerGatedCrypto", 10), Map.entry("KeyUsageNetscapeServerGatedCrypto", 11),
                Map.entry("KeyUsageMicrosoftCommercialCodeSigning", 12), Map.entry("KeyUsageMicrosoftKernelCodeSigning", 13));

        static Options of(Value.Obj o) {
            String dns = "";
            Long time = null;
            Set<Integer> usages = new HashSet<>();
            for (var e : o.map().entrySet()) {
                String k = e.getKey() instanceof Value.Str s ? s.value : "";
                Value v = e.getValue();
                switch (k) {
                    case "DNSName" -> {
                        if (!(v instanceof Value.Str s)) {
                            throw BuiltinError.err("'DNSName' should be a string");
                        }
                        dns = s.value.replace("\"", "");
                    }
                    case "CurrentTime" -> {
                        if (!(v instanceof Value.Num n)) {
                            throw BuiltinError.err("'CurrentTime' should be a number");
                        }
                        if (!n.isInteger()) {
                            throw BuiltinError.err("'CurrentTime' should be a valid int64 number");
                        }
                        time = Math.floorDiv(n.big().longValue(), 1_000_000L);
                    }
                    case "MaxConstraintComparisons" -> {
                        if (!(v instanceof Value.Num n) || !n.isInteger()) {
                            throw BuiltinError.err("'MaxConstraintComparisons' should be a valid number");
                        }
                    }
                    case "KeyUsages" -> {
                        List<Value> items = v instanceof Value.Arr a ? a.items() : v instanceof Value.SetV s ? s.sorted() : null;
                        if (items == null) {
                            throw BuiltinError.err("'KeyUsages' should be an Array or Set");
                        }
                        List<String> bad = new ArrayList<>();
                        for (Value x : items) {
                            Integer u = x instanceof Value.Str s ? USAGES.get(s.value) : null;
                            if (u == null) {
                                bad.add(dev.posture.rego.value.ValueText.json(x));
                            } else {
                                usages.add(u);
                            }
                        }
                        if (!bad.isEmpty()) {
                            throw BuiltinError.err("invalid entries for 'KeyUsages' found: [" + String.join(" ", bad) + "]");
                        }
                    }
                    default -> throw BuiltinError.err("invalid key option");
                }
            }
            return new Options(dns, time, usages);
        }
    }

    /** The verified chain, leaf first, or null. */
    static List<X509Certificate> verify(List<X509Certificate> certs, Options o) {
        if (certs.size() < 2) {
            return null;
        }
        X509Certificate root = certs.get(0);
        List<X509Certificate> inter = certs.subList(1, certs.size() - 1);
        X509Certificate leaf = certs.get(certs.size() - 1);
        java.util.Date now = new java.util.Date(o.timeMillis() == null ? System.currentTimeMillis() : o.timeMillis());
        if (!valid(leaf, now, false, 0) || !o.dnsName().isEmpty() && !hostMatches(leaf, o.dnsName())) {
            return null;
        }
        List<X509Certificate> chain = new ArrayList<>(List.of(leaf));
        if ((leaf.equals(root) || build(chain, root, inter, now)) && !insecure(chain)) {
            Set<Integer> want = o.keyUsages().isEmpty() ? Set.of(1) : o.keyUsages();
            return usagesOk(chain, want) ? chain : null;
        }
        return null;
    }

    private static boolean build(List<X509Certificate> chain, X509Certificate root, List<X509Certificate> inter, java.util.Date now) {
        X509Certificate cur = chain.get(chain.size() - 1);
        if (chain.size() > 10) {
            return false;
        }
        if (signedBy(cur, root) && valid(root, now, true, chain.size() - 1)) {
            chain.add(root);
            return true;
        }
        for (X509Certificate c : inter) {
            if (!chain.contains(c) && signedBy(cur, c) && valid(c, now, true, chain.size() - 1)) {
                chain.add(c);
                if (build(chain, root, inter, now)) {
                    return true;
                }
                chain.remove(chain.size() - 1);
            }
        }
        return false;
    }

    /** Go refuses MD2, MD5 and SHA-1 signatures on every certificate but the trust anchor (InsecureAlgorithmError). */
    private static boolean insecure(List<X509Certificate> chain) {
        for (X509Certificate c : chain.subList(0, chain.size() - 1)) {
            String alg = c.getSigAlgName().toUpperCase(java.util.Locale.ROOT);
            if (alg.contains("MD2") || alg.contains("MD5") || alg.contains("SHA1")) {
                return true;
            }
        }
        return false;
    }

    private static boolean signedBy(X509Certificate c, X509Certificate issuer) {
        if (!c.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            return false;
        }
        try {
            c.verify(issuer.getPublicKey());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean valid(X509Certificate c, java.util.Date now, boolean issuer, int intermediatesBelow) {
        if (now.before(c.getNotBefore()) || now.after(c.getNotAfter())) {
            return false;
        }
        if (issuer) {
            int bc = c.getBasicConstraints();
            if (bc < 0) {
                return false;
            }
            return bc == Integer.MAX_VALUE || intermediatesBelow <= bc;
        }
        return true;
    }

    private static boolean usagesOk(List<X509Certificate> chain, Set<Integer> want) {
        if (want.contains(0)) {
            return true;
        }
        Set<Integer> left = new HashSet<>(want);
        for (int i = chain.size() - 1; i >= 0; i--) {
            List<String> eku;
            try {
                eku = chain.get(i).getExtendedKeyUsage();
            } catch (Exception e) {
                return false;
            }
            if (eku == null || eku.isEmpty() || eku.contains("2.5.29.37.0")) {
                continue;
            }
            Set<Integer> have = new HashSet<>();
            for (String oid : eku) {
                Integer u = GoX509.EKU.get(oid);
                if (u != null) {
                    have.add(u);
                }
            }
            left.retainAll(have);
            if (left.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private static boolean hostMatches(X509Certificate c, String host) {
        try {
            var sans = c.getSubjectAlternativeNames();
            if (sans == null) {
                return false;
            }
            String h = host.toLowerCase().replaceAll("\\.$", "");
            for (List<?> san : sans) {
                int type = (Integer) san.get(0);
                String v = String.valueOf(san.get(1)).toLowerCase();
                if (type == 2 && (v.equals(h) || v.startsWith("*.") && h.indexOf('.') > 0 && h.substring(h.indexOf('.')).equals(v.substring(1)))) {
                    return true;
                }
                if (type == 7 && v.equals(h)) {
                    return true;
                }
            }
            return false;
        } catch (Exception e) {
            return false;
        }
    }
}

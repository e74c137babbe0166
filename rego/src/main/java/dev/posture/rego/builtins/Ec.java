package dev.posture.rego.builtins;

import java.math.BigInteger;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;

/** Affine scalar multiplication on a prime curve: only used to derive an EC public key from its private key. */
final class Ec {
    private Ec() {
    }

    static ECPoint multiply(ECPoint g, BigInteger k, ECParameterSpec spec) {
        BigInteger p = ((ECFieldFp) spec.getCurve().getField()).getP();
        BigInteger a = spec.getCurve().getA();
        ECPoint r = ECPoint.POINT_INFINITY;
        ECPoint q = g;
        for (int i = 0; i < k.bitLength(); i++) {
            if (k.testBit(i)) {
                r = add(r, q, p, a);
            }
            q = add(q, q, p, a);
        }
        return r;
    }

    private static ECPoint add(ECPoint x, ECPoint y, BigInteger p, BigInteger a) {
        if (x.equals(ECPoint.POINT_INFINITY)) {
            return y;
        }
        if (y.equals(ECPoint.POINT_INFINITY)) {
            return x;
        }
        BigInteger x1 = x.getAffineX();
        BigInteger y1 = x.getAffineY();
        BigInteger x2 = y.getAffineX();
        BigInteger y2 = y.getAffineY();
        BigInteger l;
        if (x1.equals(x2)) {
            if (!y1.equals(y2) || y1.signum() == 0) {
                return ECPoint.POINT_INFINITY;
            }
            l = x1.pow(2).multiply(BigInteger.valueOf(3)).add(a).multiply(y1.shiftLeft(1).modInverse(p)).mod(p);
        } else {
            l = y2.subtract(y1).multiply(x2.subtract(x1).modInverse(p)).mod(p);
        }
        BigInteger x3 = l.pow(2).subtract(x1).subtract(x2).mod(p);
        BigInteger y3 = l.multiply(x1.subtract(x3)).subtract(y1).mod(p);
        return new ECPoint(x3, y3);
    }
}

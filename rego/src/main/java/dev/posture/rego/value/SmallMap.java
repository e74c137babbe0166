package dev.posture.rego.value;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Immutable insertion-ordered map of a few entries, in two parallel arrays searched linearly.
 *
 * <p>Objects converted from an input document are mostly small (a container, a port, a label set); as
 * {@code LinkedHashMap}s they cost about three times the memory, and a large input is most of an evaluation's live
 * data: what the garbage collector copies and what falls out of the CPU caches as inputs grow. Keys from one
 * conversion that share a shape share one key array.
 */
final class SmallMap extends AbstractMap<Value, Value> {
    /** Up to this many entries an object is converted to a {@code SmallMap}. */
    static final int MAX = 12;

    private final Value[] keys;
    private final Value[] vals;

    /** Takes ownership of both arrays (same length, distinct keys). */
    SmallMap(Value[] keys, Value[] vals) {
        this.keys = keys;
        this.vals = vals;
    }

    @Override
    public int size() {
        return keys.length;
    }

    @Override
    public Value get(Object k) {
        Value[] ks = keys;
        for (int i = 0; i < ks.length; i++) {
            Value x = ks[i];
            if (x == k || x.equals(k)) {
                return vals[i];
            }
        }
        return null;
    }

    @Override
    public boolean containsKey(Object k) {
        return get(k) != null;
    }

    /** Visits the entries in order until the visitor answers true; returns whether it did. */
    boolean visit(Value.EntryVisitor v) {
        for (int i = 0; i < keys.length; i++) {
            if (v.visit(keys[i], vals[i])) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Set<Map.Entry<Value, Value>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return keys.length;
            }

            @Override
            public Iterator<Map.Entry<Value, Value>> iterator() {
                return new Iterator<>() {
                    private int i;

                    @Override
                    public boolean hasNext() {
                        return i < keys.length;
                    }

                    @Override
                    public Map.Entry<Value, Value> next() {
                        if (i >= keys.length) {
                            throw new NoSuchElementException();
                        }
                        Map.Entry<Value, Value> e = new SimpleImmutableEntry<>(keys[i], vals[i]);
                        i++;
                        return e;
                    }
                };
            }
        };
    }
}

package dev.posture.rego.eval;

import dev.posture.rego.value.Value;
import java.util.HashMap;

/**
 * Variable bindings of one rule/query body (closures share them); unbinding restores on backtrack.
 *
 * <p>An open-addressing table (linear probing, backward-shift deletion) instead of a {@code HashMap}: binding and
 * unbinding happen once per variable per solution, and a {@code HashMap} allocates a node on every bind (a fifth of
 * all bytes allocated by evaluations that iterate large inputs).
 */
final class Bindings {
    private String[] keys = new String[8];
    private Value[] vals = new Value[8];
    private int size;

    Value get(String name) {
        String[] ks = keys;
        int mask = ks.length - 1;
        for (int i = name.hashCode() & mask; ; i = (i + 1) & mask) {
            String k = ks[i];
            if (k == null) {
                return null;
            }
            if (k == name || k.equals(name)) {
                return vals[i];
            }
        }
    }

    void bind(String name, Value v) {
        int mask = keys.length - 1;
        for (int i = name.hashCode() & mask; ; i = (i + 1) & mask) {
            String k = keys[i];
            if (k == null) {
                keys[i] = name;
                vals[i] = v;
                if (++size * 2 > keys.length) {
                    grow();
                }
                return;
            }
            if (k == name || k.equals(name)) {
                vals[i] = v;
                return;
            }
        }
    }

    void unbind(String name) {
        int mask = keys.length - 1;
        int i = name.hashCode() & mask;
        while (true) {
            String k = keys[i];
            if (k == null) {
                return;
            }
            if (k == name || k.equals(name)) {
                break;
            }
            i = (i + 1) & mask;
        }
        size--;
        // backward-shift deletion: move later entries of the probe run into the hole when their home allows it
        int hole = i;
        for (int j = (hole + 1) & mask; keys[j] != null; j = (j + 1) & mask) {
            int home = keys[j].hashCode() & mask;
            boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
            if (movable) {
                keys[hole] = keys[j];
                vals[hole] = vals[j];
                hole = j;
            }
        }
        keys[hole] = null;
        vals[hole] = null;
    }

    /** Names bound by {@link #bindTrailed}, undone together by {@link #undo}: no closure per binding. */
    private String[] trail = new String[8];
    private int trailSize;

    int mark() {
        return trailSize;
    }

    /** Binds and records the name, to be unbound by {@link #undo} of an earlier {@link #mark}. */
    void bindTrailed(String name, Value v) {
        bind(name, v);
        if (trailSize == trail.length) {
            trail = java.util.Arrays.copyOf(trail, trailSize * 2);
        }
        trail[trailSize++] = name;
    }

    /** Unbinds, latest first, every name trailed since {@code mark}. */
    void undo(int mark) {
        while (trailSize > mark) {
            unbind(trail[--trailSize]);
            trail[trailSize] = null;
        }
    }

    HashMap<String, Value> snapshot() {
        HashMap<String, Value> out = new HashMap<>();
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) {
                out.put(keys[i], vals[i]);
            }
        }
        return out;
    }

    private void grow() {
        String[] oldK = keys;
        Value[] oldV = vals;
        keys = new String[oldK.length * 2];
        vals = new Value[oldK.length * 2];
        size = 0;
        for (int i = 0; i < oldK.length; i++) {
            if (oldK[i] != null) {
                bind(oldK[i], oldV[i]);
            }
        }
    }
}

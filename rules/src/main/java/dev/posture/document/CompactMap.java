package dev.posture.document;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The children of a parsed YAML mapping: insertion-ordered like Jackson's own {@link LinkedHashMap}, but for the
 * small mappings that make up most documents (a Kubernetes object has thousands of 1–6-key mappings) one array of
 * alternating keys and values, searched linearly — about a third of the memory of a {@code LinkedHashMap}
 * with its entries. Past {@link #MAX_SMALL} keys it turns into a {@code LinkedHashMap}.
 */
final class CompactMap extends AbstractMap<String, JsonNode> {
    static final int MAX_SMALL = 12;

    private Object[] kv = new Object[8];
    private int size;
    private LinkedHashMap<String, JsonNode> big;

    @Override
    public int size() {
        return big != null ? big.size() : size;
    }

    private int index(Object key) {
        for (int i = 0; i < size; i++) {
            Object k = kv[2 * i];
            if (k == key || k.equals(key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public JsonNode get(Object key) {
        if (big != null) {
            return big.get(key);
        }
        int i = index(key);
        return i < 0 ? null : (JsonNode) kv[2 * i + 1];
    }

    @Override
    public boolean containsKey(Object key) {
        return big != null ? big.containsKey(key) : index(key) >= 0;
    }

    @Override
    public JsonNode put(String key, JsonNode value) {
        if (big != null) {
            return big.put(key, value);
        }
        int i = index(key);
        if (i >= 0) {
            JsonNode old = (JsonNode) kv[2 * i + 1];
            kv[2 * i + 1] = value;
            return old;
        }
        if (size == MAX_SMALL) {
            big = new LinkedHashMap<>();
            for (int j = 0; j < size; j++) {
                big.put((String) kv[2 * j], (JsonNode) kv[2 * j + 1]);
            }
            kv = null;
            size = 0;
            return big.put(key, value);
        }
        if (2 * size == kv.length) {
            kv = java.util.Arrays.copyOf(kv, kv.length * 2);
        }
        kv[2 * size] = key;
        kv[2 * size + 1] = value;
        size++;
        return null;
    }

    @Override
    public JsonNode remove(Object key) {
        if (big != null) {
            return big.remove(key);
        }
        int i = index(key);
        if (i < 0) {
            return null;
        }
        JsonNode old = (JsonNode) kv[2 * i + 1];
        removeAt(i);
        return old;
    }

    private void removeAt(int i) {
        System.arraycopy(kv, 2 * i + 2, kv, 2 * i, 2 * (size - i - 1));
        size--;
        kv[2 * size] = null;
        kv[2 * size + 1] = null;
    }

    @Override
    public void clear() {
        if (big != null) {
            big.clear();
        } else {
            java.util.Arrays.fill(kv, null);
            size = 0;
        }
    }

    @Override
    public Set<Entry<String, JsonNode>> entrySet() {
        if (big != null) {
            return big.entrySet();
        }
        return new AbstractSet<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public Iterator<Entry<String, JsonNode>> iterator() {
                return new Iterator<>() {
                    private int next;
                    private int last = -1;

                    @Override
                    public boolean hasNext() {
                        return next < size;
                    }

                    @Override
                    public Entry<String, JsonNode> next() {
                        if (next >= size) {
                            throw new NoSuchElementException();
                        }
                        last = next++;
                        int at = last;
                        return new Entry<>() {
                            @Override
                            public String getKey() {
                                return (String) kv[2 * at];
                            }

                            @Override
                            public JsonNode getValue() {
                                return (JsonNode) kv[2 * at + 1];
                            }

                            @Override
                            public JsonNode setValue(JsonNode v) {
                                JsonNode old = (JsonNode) kv[2 * at + 1];
                                kv[2 * at + 1] = v;
                                return old;
                            }

                            @Override
                            public boolean equals(Object o) {
                                return o instanceof Map.Entry<?, ?> e && getKey().equals(e.getKey())
                                        && java.util.Objects.equals(getValue(), e.getValue());
                            }

                            @Override
                            public int hashCode() {
                                return getKey().hashCode() ^ java.util.Objects.hashCode(getValue());
                            }
                        };
                    }

                    @Override
                    public void remove() {
                        if (last < 0) {
                            throw new IllegalStateException();
                        }
                        removeAt(last);
                        next = last;
                        last = -1;
                    }
                };
            }
        };
    }
}

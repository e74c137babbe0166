package dev.posture.image.layer;

/**
 * Looks at the first bytes of regular files while a layer streams past (the secret detector). The reader hands it
 * at most {@link #PREFIX_BYTES} of each file it {@link #wants}; contents nobody wants are skipped unseen.
 */
public interface ContentProbe {
    int PREFIX_BYTES = 64 << 10;

    /** Whether the file at {@code path} (normalised, relative) of {@code size} bytes should be looked at. */
    boolean wants(String path, long size);

    /** What the prefix shows, or null when nothing. {@code prefix[0, length)} is the file's start. */
    Match probe(String path, byte[] prefix, int length);

    /**
     * @param kind     what the file is ("private-key", "dotenv", …)
     * @param evidence why, masked: never the secret whole
     */
    record Match(String kind, String evidence) {
    }

    /** A probe that wants nothing. */
    ContentProbe NONE = new ContentProbe() {
        @Override
        public boolean wants(String path, long size) {
            return false;
        }

        @Override
        public Match probe(String path, byte[] prefix, int length) {
            return null;
        }
    };
}

package dev.posture.image.facts;

/**
 * One config {@code history} entry.
 *
 * @param index      position in the history, from 0
 * @param created    {@code created} as written, null when absent
 * @param createdBy  {@code created_by} ("" when absent), e.g. {@code /bin/sh -c #(nop)  EXPOSE 22} or
 *                   {@code RUN /bin/sh -c apt-get update # buildkit}
 * @param comment    {@code comment}, null when absent
 * @param emptyLayer {@code empty_layer}: the step made no layer
 * @param layer      the index of the layer this step made, null for empty steps (and when history and layers do
 *                   not line up)
 */
public record HistoryEntry(int index, String created, String createdBy, String comment, boolean emptyLayer,
                           Integer layer) {
}

package dev.posture.image.source;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.tar.TarFile;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code docker save} or OCI image archive file (kind "archive"). An uncompressed tar is read at random: the JSON
 * entries first, then only the image's layers, {@value Blobs#PARALLEL_LAYERS} at a time, each straight from its
 * place in the file. A gzip'd archive can only be read front to back: it goes through {@link DockerArchiveReader}.
 */
public final class ArchiveSource implements ImageSource {
    private final Path file;
    private final SourceOptions options;
    private final int parallel;

    public ArchiveSource(Path file, SourceOptions options) {
        this(file, options, Blobs.PARALLEL_LAYERS);
    }

    /** @param parallel layers delivered at once (benchmarks compare 1 and 2) */
    ArchiveSource(Path file, SourceOptions options, int parallel) {
        this.file = file;
        this.options = options;
        this.parallel = parallel;
    }

    @Override
    public String describe() {
        return "archive " + file;
    }

    @Override
    public String kind() {
        return "archive";
    }

    @Override
    public ImageManifest read(LayerSink layers) throws ImageException, IOException {
        byte[] head = new byte[Blobs.HEAD];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (NoSuchFileException e) {
            throw new ImageException(describe() + ": no such file");
        } catch (IOException e) {
            throw new ImageException(describe() + ": cannot read (" + e.getMessage() + ")");
        }
        if (n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            try (InputStream in = Files.newInputStream(file)) {
                return new DockerArchiveReader(describe(), options.platform()).read(in, layers);
            }
        }
        String notTar = Blobs.notTar(head, n);
        if (notTar != null) {
            throw new ImageException(describe() + ": " + notTar);
        }
        return readAtRandom(layers);
    }

    private ImageManifest readAtRandom(LayerSink sink) throws ImageException, IOException {
        long fileSize = Files.size(file);
        ArchiveContents contents = new ArchiveContents(describe());
        Map<String, Slot> layerEntries = new HashMap<>();
        ArchiveLayout.Plan plan;
        try (SeekableByteChannel ch = Files.newByteChannel(file);
             TarFile tar = open(ch)) {
            byte[] head = new byte[Blobs.HEAD];
            long lastDataEnd = 0;
            for (TarArchiveEntry e : tar.getEntries()) {
                lastDataEnd = Math.max(lastDataEnd, e.getDataOffset()
                        + (e.getSize() + Blobs.HEAD - 1) / Blobs.HEAD * Blobs.HEAD);
                String path = ArchivePaths.normalise(describe(), e.getName());
                if (e.isSymbolicLink()) {
                    contents.addLink(path, ArchivePaths.symlinkTarget(describe(), path, e.getLinkName()));
                    continue;
                }
                if (e.isLink()) {
                    contents.addLink(path, ArchivePaths.normalise(describe(), e.getLinkName()));
                    continue;
                }
                if (!e.isFile() || path.isEmpty()) {
                    continue;
                }
                long size = e.getSize();
                if (e.getDataOffset() + size > fileSize) {
                    throw new ImageException(describe() + ": truncated: entry " + Blobs.shorten(path) + " needs "
                            + (e.getDataOffset() + size) + " bytes, the file has " + fileSize);
                }
                if (e.isSparse()) {
                    contents.addOther(path, "a sparse entry");
                    continue;
                }
                int n;
                try (InputStream in = tar.getInputStream(e)) {
                    n = in.readNBytes(head, 0, (int) Math.min(head.length, size));
                }
                switch (Blobs.classify(head, n, size)) {
                    case JSON -> {
                        try (InputStream in = tar.getInputStream(e)) {
                            contents.addJson(path, in.readNBytes(Blobs.MAX_JSON_BYTES));
                        }
                    }
                    case LAYER -> {
                        contents.addLayer(path);
                        layerEntries.put(path, new Slot(path, e.getDataOffset(), size));
                    }
                    case OTHER -> contents.addOther(path, Blobs.whatElse(head, n, size));
                }
            }
            try {
                plan = ArchiveLayout.plan(contents, options.platform());
            } catch (ImageException e) {
                throw endsWithEndBlock(ch, lastDataEnd, fileSize) ? e : Blobs.truncatedHint(e);
            }
        }
        List<Slot> deliver = new ArrayList<>();
        plan.entries().forEach(p -> deliver.add(layerEntries.get(p)));
        // largest first: two threads finish together more often
        deliver.sort(Comparator.comparingLong(Slot::size).reversed());
        List<Parallel.Task> tasks = new ArrayList<>();
        for (Slot slot : deliver) {
            tasks.add(() -> deliver(sink, slot));
        }
        Parallel.run(tasks, parallel);
        return plan.manifest();
    }

    /** Whether a zero block follows the last entry: without it the tar was cut short at an entry's edge. */
    private static boolean endsWithEndBlock(SeekableByteChannel ch, long lastDataEnd, long size) throws IOException {
        if (size - lastDataEnd < Blobs.HEAD) {
            return false;
        }
        java.nio.ByteBuffer block = java.nio.ByteBuffer.allocate(Blobs.HEAD);
        ch.position(lastDataEnd);
        while (block.hasRemaining() && ch.read(block) > 0) {
            // fill
        }
        return Blobs.allZero(block.array(), Blobs.HEAD);
    }

    private TarFile open(SeekableByteChannel ch) throws ImageException {
        try {
            return new TarFile(ch, TarConstants.DEFAULT_BLKSIZE, TarConstants.DEFAULT_RCDSIZE, "UTF-8", false);
        } catch (IOException | RuntimeException e) {
            throw new ImageException(describe() + ": truncated or corrupt tar (" + e.getMessage() + ")");
        }
    }

    /** One layer straight from its bytes in the file, on its own channel (an interrupt closes only that one). */
    private void deliver(LayerSink sink, Slot slot) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.position(slot.offset);
            sink.layer(ArchiveLayout.key(slot.path), new Slice(Channels.newInputStream(ch), slot.size,
                    describe() + ": entry " + slot.path));
        }
    }

    /** Where a layer entry's bytes are in the file. */
    private record Slot(String path, long offset, long size) {
    }

    /** Exactly {@code size} bytes of a stream; ending early is an error (the file shrank while read). */
    private static final class Slice extends InputStream {
        private final InputStream in;
        private final String what;
        private long left;

        Slice(InputStream in, long size, String what) {
            this.in = in;
            this.left = size;
            this.what = what;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException(what + " ends " + left + " bytes early (the file is truncated)");
            }
            left -= n;
            return n;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(left, in.available());
        }
    }
}

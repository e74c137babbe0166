package dev.posture.image.testing;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Tars whose headers are built to exhaust a reader: huge PAX values, GNU long names, header chains, sparse maps. */
public final class HostileTars {
    private HostileTars() {
    }

    /** One file whose PAX header carries a {@code length}-byte comment. */
    public static byte[] paxValue(int length) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(buf)) {
            TarArchiveEntry e = new TarArchiveEntry("a");
            e.addPaxHeader("comment", "y".repeat(length));
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
    }

    /** One file named by a GNU long-name entry of {@code length} bytes. */
    public static byte[] gnuLongName(int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        header(out, "././@LongLink", TarConstants.LF_GNUTYPE_LONGNAME, length);
        byte[] name = "x".repeat(length).getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(name);
        out.writeBytes(new byte[(512 - length % 512) % 512]);
        header(out, "a", TarConstants.LF_NORMAL, 0);
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    /** {@code count} PAX headers in a row before one file. */
    public static byte[] paxChain(int count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] record = "16 comment=abcd\n".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < count; i++) {
            header(out, "PaxHeaders/a", TarConstants.LF_PAX_EXTENDED_HEADER_LC, record.length);
            byte[] data = new byte[512];
            System.arraycopy(record, 0, data, 0, record.length);
            out.writeBytes(data);
        }
        header(out, "a", TarConstants.LF_NORMAL, 0);
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    /** An old GNU sparse file whose map goes on for {@code extensions} extension records. */
    public static byte[] oldGnuSparse(int extensions) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] h = headerBytes("sparse", TarConstants.LF_GNUTYPE_SPARSE, 0);
        byte[] gnuMagic = "ustar  \0".getBytes(StandardCharsets.US_ASCII); // the old GNU format, where 482 means "extended"
        System.arraycopy(gnuMagic, 0, h, 257, gnuMagic.length);
        h[482] = 1; // isExtended
        checksum(h);
        out.writeBytes(h);
        for (int i = 0; i < extensions; i++) {
            byte[] ext = new byte[512];
            for (int j = 0; j < 21; j++) {
                byte[] n = String.format("%011o", j).getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(n, 0, ext, j * 24, 11);
                System.arraycopy(n, 0, ext, j * 24 + 12, 11);
            }
            ext[504] = (byte) (i < extensions - 1 ? 1 : 0);
            out.writeBytes(ext);
        }
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    private static void header(ByteArrayOutputStream out, String name, byte type, long size) {
        out.writeBytes(headerBytes(name, type, size));
    }

    private static byte[] headerBytes(String name, byte type, long size) {
        TarArchiveEntry e = new TarArchiveEntry(name, type);
        e.setSize(size);
        byte[] h = new byte[512];
        e.writeEntryHeader(h);
        return h;
    }

    private static void checksum(byte[] h) {
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        byte[] digits = String.format("%06o", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(digits, 0, h, 148, 6);
        h[154] = 0;
        h[155] = ' ';
    }
}

package dev.posture.image.facts;

import dev.posture.image.layer.Captured;
import dev.posture.image.layer.CapturedFiles;
import dev.posture.image.layer.CapturedPaths;
import dev.posture.image.layer.FileSystemView.LinkLoopException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** OS release, accounts and installed packages, parsed from the captured files of the final view. */
public final class SystemFiles {
    private final CapturedFiles files;
    private final List<String> warnings;

    public SystemFiles(CapturedFiles files, List<String> warnings) {
        this.files = files;
        this.warnings = warnings;
    }

    /** {@code /etc/os-release}, else {@code /usr/lib/os-release}; null when neither exists. */
    public OsRelease os() throws LinkLoopException {
        for (String path : List.of("etc/os-release", "usr/lib/os-release")) {
            String text = text(path);
            if (text != null) {
                return parsed("/" + path, () -> OsReleaseFile.parse(text, "/" + path), null);
            }
        }
        return null;
    }

    public Accounts accounts() throws LinkLoopException {
        String passwd = text("etc/passwd");
        String shadow = text("etc/shadow");
        String group = text("etc/group");
        if (passwd == null && shadow == null && group == null) {
            return Accounts.NONE;
        }
        return parsed("/etc/passwd, /etc/shadow, /etc/group", () -> AccountFiles.parse(passwd, shadow, group),
                Accounts.NONE);
    }

    /** dpkg's {@code status}, then each {@code status.d/} file, then apk's {@code installed}. */
    public List<OsPackage> packages() throws LinkLoopException {
        List<OsPackage> out = new ArrayList<>();
        String status = text("var/lib/dpkg/status");
        if (status != null) {
            out.addAll(parsed("/var/lib/dpkg/status", () -> DpkgStatus.parse(status, "/var/lib/dpkg/status"),
                    List.of()));
        }
        String statusD = CapturedPaths.DPKG_STATUS_D.substring(0, CapturedPaths.DPKG_STATUS_D.length() - 1);
        for (String path : files.listCaptured(statusD)) {
            String text = text(path);
            if (text != null) {
                out.addAll(parsed("/" + path, () -> DpkgStatus.parse(text, "/" + path), List.of()));
            }
        }
        String apk = text("lib/apk/db/installed");
        if (apk != null) {
            out.addAll(parsed("/lib/apk/db/installed", () -> ApkInstalled.parse(apk, "/lib/apk/db/installed"),
                    List.of()));
        }
        return out;
    }

    private String text(String path) throws LinkLoopException {
        Captured c = files.get(path);
        return c == null ? null : c.text();
    }

    /** A parser's result; a parser that fails on hostile content costs that fact, not the image. */
    private <T> T parsed(String what, Supplier<T> parse, T fallback) {
        try {
            return parse.get();
        } catch (RuntimeException e) {
            warnings.add(what + " could not be read: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            return fallback;
        }
    }
}

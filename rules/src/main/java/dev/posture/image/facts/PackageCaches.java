package dev.posture.image.facts;

import dev.posture.image.layer.EntryType;
import dev.posture.image.layer.FileSystemView;
import dev.posture.image.layer.FileSystemView.Node;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Package-manager caches left in the final view: the files of each cache directory, lock files aside. */
final class PackageCaches {
    private record Cache(String manager, String dir, Predicate<String> counts) {
    }

    private static final List<Cache> CACHES = List.of(
            // apt's own bookkeeping (lock, partial/, auxfiles/) stays even after "rm -rf lists/*"
            new Cache("apt", "var/lib/apt/lists", rel -> !rel.equals("lock") && !rel.startsWith("partial/")
                    && !rel.startsWith("auxfiles/")),
            new Cache("apt", "var/cache/apt", rel -> (rel.endsWith(".bin") && rel.indexOf('/') < 0)
                    || (rel.startsWith("archives/") && rel.endsWith(".deb") && rel.indexOf('/', 9) < 0)),
            new Cache("apk", "var/cache/apk", rel -> true),
            new Cache("yum", "var/cache/yum", rel -> true),
            new Cache("dnf", "var/cache/dnf", rel -> true),
            new Cache("pip", "root/.cache/pip", rel -> true),
            new Cache("npm", "root/.npm/_cacache", rel -> true));

    private PackageCaches() {
    }

    static List<FileFacts.PackageCache> find(FileSystemView view) {
        List<FileFacts.PackageCache> out = new ArrayList<>();
        for (Cache cache : CACHES) {
            long files = 0;
            long bytes = 0;
            for (Node node : view.below(cache.dir).values()) {
                if (node.type() == EntryType.FILE || node.type() == EntryType.HARDLINK) {
                    if (cache.counts.test(node.path().substring(cache.dir.length() + 1))) {
                        files++;
                        bytes += node.entry().size();
                    }
                }
            }
            if (files > 0) {
                out.add(new FileFacts.PackageCache(cache.manager, "/" + cache.dir, files, bytes));
            }
        }
        return out;
    }
}

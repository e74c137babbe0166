package dev.posture.image.facts;

import java.util.List;

/**
 * File-level facts of the final filesystem view (whiteouts applied), bounded lists: each holds at most
 * {@link #LIMIT} entries (the counts say how many there were).
 *
 * @param count          regular files, directories and links in the final view
 * @param bytes          total size of the regular files in the final view
 * @param setuid         regular files with the setuid or setgid bit
 * @param worldWritable  files and directories writable by others (symlinks excluded: their mode means nothing),
 *                       wherever they are; policies decide which directories are exempt
 * @param secrets        files in the final view that hold credentials
 * @param deletedSecrets credential files present in a lower layer that a later layer deleted or replaced: still
 *                       in the image's blobs, readable by anyone who pulls it
 * @param unnecessary    VCS, IDE and cloud-config directories ({@code .git}, {@code .svn}, {@code .hg},
 *                       {@code .idea}, {@code .vscode}, {@code .aws}, {@code .azure}, {@code .config/gcloud},
 *                       {@code .DS_Store}…)
 * @param tools          notable executables present ({@code /usr/bin/sudo}, {@code /usr/bin/curl}, …)
 * @param packageCaches  package-manager caches left behind
 * @param setuidCount     how many setuid/setgid files there were (setuid may be cut at LIMIT)
 * @param worldWritableCount how many world-writable entries there were
 */
public record FileFacts(long count, long bytes, List<FileEntry> setuid, List<FileEntry> worldWritable,
                        List<SecretFile> secrets, List<SecretFile> deletedSecrets, List<String> unnecessary,
                        List<String> tools, List<PackageCache> packageCaches, long setuidCount,
                        long worldWritableCount) {
    public static final int LIMIT = 10_000;

    public FileFacts {
        setuid = List.copyOf(setuid);
        worldWritable = List.copyOf(worldWritable);
        secrets = List.copyOf(secrets);
        deletedSecrets = List.copyOf(deletedSecrets);
        unnecessary = List.copyOf(unnecessary);
        tools = List.copyOf(tools);
        packageCaches = List.copyOf(packageCaches);
    }

    /**
     * One file of the view.
     *
     * @param path  absolute ("/usr/bin/su")
     * @param type  "file", "dir", "symlink", "hardlink", "other"
     * @param mode  permission bits, {@code & 07777}
     * @param layer the index of the layer it comes from
     */
    public record FileEntry(String path, String type, int mode, long uid, long gid, long size, int layer) {
    }

    /**
     * A credential file.
     *
     * @param path      absolute
     * @param kind      "private-key", "aws-credentials", "gcp-service-account", "azure-credentials", "dotenv",
     *                  "npmrc-token", "pypirc-password", "kubeconfig-token", "git-credentials", "netrc",
     *                  "docker-auth", "htpasswd", "shadow-backup", …
     * @param layer     the layer holding it
     * @param deletedIn for a deleted secret, the layer that deleted or replaced it; null otherwise
     * @param evidence  what showed it is a credential, masked ("-----BEGIN RSA PRIVATE KEY-----",
     *                  "aws_secret_access_key = wJ****")
     */
    public record SecretFile(String path, String kind, int layer, Integer deletedIn, String evidence) {
    }

    /**
     * A package-manager cache left in the image.
     *
     * @param manager "apt", "apk", "yum", "dnf", "pip", "npm"
     * @param path    the cache directory ("/var/lib/apt/lists")
     * @param files   files in it (lock files and empty partial/ excluded)
     * @param bytes   their total size
     */
    public record PackageCache(String manager, String path, long files, long bytes) {
    }
}

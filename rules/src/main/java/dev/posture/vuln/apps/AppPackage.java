package dev.posture.vuln.apps;

/**
 * An application dependency found in an image or a deployment package.
 *
 * @param ecosystem the OSV ecosystem: "Maven", "npm" or "PyPI"
 * @param name      as OSV keys it: {@code groupId:artifactId}, the npm name (with scope), the Python project name
 * @param version   as recorded
 * @param path      where: the file inside the image or zip, nested jars joined with {@code !/}
 *                  ({@code /app/app.jar!/BOOT-INF/lib/log4j-core-2.14.1.jar})
 */
public record AppPackage(String ecosystem, String name, String version, String path) {
}

package dev.posture.image.facts;

import java.util.List;
import java.util.Map;

/**
 * The runtime part of an image config ({@code config} in the OCI image spec).
 *
 * @param user         {@code User} as written ("" when unset)
 * @param env          {@code Env}, split at the first '=' (a value-less entry has value "")
 * @param exposedPorts {@code ExposedPorts} keys as written ("22/tcp"; "80" means tcp)
 * @param volumes      {@code Volumes} keys
 * @param healthcheck  {@code Healthcheck.Test} when a health check is set; null when none is (also for
 *                     {@code ["NONE"]}, which disables an inherited one: {@code healthcheckDisabled} says so)
 * @param labels       {@code Labels}
 * @param entrypoint   {@code Entrypoint}
 * @param cmd          {@code Cmd}
 * @param workingDir   {@code WorkingDir} ("" when unset)
 * @param os           the config's {@code os}
 * @param architecture the config's {@code architecture}
 * @param variant      the config's {@code variant}, null when none
 */
public record ImageConfig(String user, List<EnvVar> env, List<String> exposedPorts, List<String> volumes,
                          List<String> healthcheck, boolean healthcheckDisabled, Map<String, String> labels,
                          List<String> entrypoint, List<String> cmd, String workingDir, String os,
                          String architecture, String variant) {
    public ImageConfig {
        env = List.copyOf(env);
        exposedPorts = List.copyOf(exposedPorts);
        volumes = List.copyOf(volumes);
        healthcheck = healthcheck == null ? null : List.copyOf(healthcheck);
        labels = Map.copyOf(labels);
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
    }

    /** One {@code Env} entry. */
    public record EnvVar(String name, String value) {
    }
}

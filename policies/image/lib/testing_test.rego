# Builders shared by the image policy tests (a *_test.rego file, so it is not shipped).
# clean_image is a complete document of docs/policies.md that passes every image rule.
package posture.lib.image.testing

digest := "sha256:9b2a1c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9"

base_step := {
	"index": 0, "created": "2024-05-01T00:00:00Z",
	"created_by": "/bin/sh -c #(nop) ADD file:5d6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a in / ",
	"instruction": "ADD", "command": "file:5d6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a in /",
	"empty_layer": false, "layer": 0,
}

# Instructions that make no layer.
empty_instructions := {"ENV", "ARG", "USER", "EXPOSE", "CMD", "ENTRYPOINT", "LABEL", "WORKDIR", "HEALTHCHECK", "VOLUME", "STOPSIGNAL", "SHELL", "ONBUILD", "MAINTAINER"}

# A history step as BuildKit records it.
step(i, "RUN", cmd) := {
	"index": i, "created": "2024-05-01T00:00:00Z",
	"created_by": sprintf("RUN /bin/sh -c %s # buildkit", [cmd]),
	"instruction": "RUN", "command": cmd, "empty_layer": false, "layer": i,
}

step(i, instr, cmd) := {
	"index": i, "created": "2024-05-01T00:00:00Z",
	"created_by": sprintf("%s %s # buildkit", [instr, cmd]),
	"instruction": instr, "command": cmd, "empty_layer": empty, "layer": layer_of(i, empty),
} if {
	instr != "RUN"
	empty := instr in empty_instructions
}

layer_of(_, true) := null

layer_of(i, false) := i

# The base step followed by [instruction, command] pairs, numbered 1, 2, ...
history(pairs) := array.concat([base_step], [step(i + 1, p[0], p[1]) | some i, p in pairs])

clean_history := history([
	["ENV", "PATH=/usr/local/bin:/usr/bin:/bin"],
	["RUN", "apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*"],
	["COPY", "app /app"],
	["USER", "10001"],
	["EXPOSE", "map[8080/tcp:{}]"],
	["HEALTHCHECK", "&{[\"CMD\" \"/app/healthcheck\"] \"30s\" \"3s\" \"0s\" \"0s\" '\\x03'}"],
	["ENTRYPOINT", "[\"/app/server\"]"],
])

clean_image := {
	"name": "registry.example.com/shop/api:1.4.2",
	"source": "registry",
	"reference": {"registry": "registry.example.com", "repository": "shop/api", "tag": "1.4.2", "digest": null},
	"digest": digest,
	"config_digest": "sha256:1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f809",
	"created": "2024-05-01T00:00:00Z",
	"age_days": 30,
	"size": 29360128,
	"platform": {"os": "linux", "architecture": "amd64", "variant": null},
	"config": {
		"user": "10001",
		"env": [{"name": "PATH", "value": "/usr/local/bin:/usr/bin:/bin"}, {"name": "APP_ENV", "value": "production"}],
		"exposed_ports": [{"port": 8080, "protocol": "tcp", "spec": "8080/tcp"}],
		"volumes": ["/data"],
		"healthcheck": ["CMD", "/app/healthcheck"],
		"healthcheck_disabled": false,
		"labels": {"org.opencontainers.image.source": "https://example.com/shop"},
		"entrypoint": ["/app/server"],
		"cmd": [],
		"working_dir": "/app",
	},
	"history": clean_history,
	"layers": [
		{"index": 0, "digest": digest, "diff_id": digest, "size": 1024, "uncompressed_size": 4096,
		 "media_type": "application/vnd.oci.image.layer.v1.tar+gzip", "compression": "gzip", "entries": 12,
		 "created_by": base_step.created_by},
	],
	"os": {"id": "debian", "id_like": null, "version_id": "12", "version_codename": "bookworm", "pretty_name": "Debian GNU/Linux 12 (bookworm)"},
	"accounts": {
		"users": [
			{"name": "root", "uid": 0, "gid": 0, "home": "/root", "shell": "/bin/bash", "password": "locked"},
			{"name": "nobody", "uid": 65534, "gid": 65534, "home": "/nonexistent", "shell": "/usr/sbin/nologin", "password": "locked"},
			{"name": "app", "uid": 10001, "gid": 10001, "home": "/app", "shell": "/usr/sbin/nologin", "password": "set"},
		],
		"groups": [
			{"name": "root", "gid": 0, "members": []},
			{"name": "nogroup", "gid": 65534, "members": []},
			{"name": "app", "gid": 10001, "members": []},
		],
	},
	"packages": [
		{"manager": "dpkg", "name": "ca-certificates", "version": "20230311", "architecture": "all", "source": "ca-certificates", "source_version": "20230311"},
		{"manager": "dpkg", "name": "libc6", "version": "2.36-9+deb12u7", "architecture": "amd64", "source": "glibc", "source_version": "2.36-9+deb12u7"},
	],
	"files": {
		"count": 4711,
		"bytes": 78000000,
		"setuid": [],
		"setuid_count": 0,
		"world_writable": [
			{"path": "/tmp", "type": "dir", "permissions": "1777", "mode": 1023, "sticky": true, "layer": 0},
			{"path": "/var/tmp", "type": "dir", "permissions": "1777", "mode": 1023, "sticky": true, "layer": 0},
		],
		"world_writable_count": 2,
		"secrets": [],
		"deleted_secrets": [],
		"unnecessary": [],
		"tools": ["/usr/bin/curl"],
		"package_caches": [],
	},
}

# base with the top-level keys of patch replaced (not merged).
replace(base, patch) := object.union(object.remove(base, object.keys(patch)), patch)

# The clean image with some top-level fields replaced.
image(patch) := replace(clean_image, patch)

# The clean image with some config fields replaced.
with_config(patch) := image({"config": replace(clean_image.config, patch)})

# The clean image with some files fields replaced.
with_files(patch) := image({"files": replace(clean_image.files, patch)})

# The clean image with its accounts replaced.
with_accounts(users, groups) := image({"accounts": {"users": users, "groups": groups}})

# The clean image with the base step followed by these [instruction, command] steps.
with_steps(pairs) := image({"history": history(pairs)})

# A passwd account.
user(name, uid) := {"name": name, "uid": uid, "gid": uid, "home": "/home", "shell": "/bin/sh", "password": "locked"}

# Keys and paths of a deny set.
keys(results) := {r.key | some r in results}

paths(results) := {r.path | some r in results}

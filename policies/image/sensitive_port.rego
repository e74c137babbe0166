# METADATA
# scope: package
# title: Port of a remote shell or clear-text admin protocol exposed
# description: >-
#   The image exposes (EXPOSE) a port of a remote shell, remote desktop or clear-text administration
#   protocol: 21 FTP, 22 SSH, 23 Telnet, 69 TFTP, 111 rpcbind, 161 SNMP, 512-514 rexec/rlogin/rsh
#   (TCP only: 512-514/udp are biff, who and syslog), 2375 the Docker API without TLS, 3389 RDP,
#   5900-5903 VNC, 6000 X11; any protocol for the others. A container should not need a remote
#   shell (docker exec and kubectl exec exist), and clear-text protocols leak credentials. A port
#   range is one finding naming the sensitive ports it covers; one finding per EXPOSE entry.
# related_resources:
#   - ref: https://www.cisecurity.org/benchmark/docker
#   - ref: https://docs.docker.com/reference/dockerfile/#expose
# custom:
#   id: img-sensitive-port
#   control: sensitive-port
#   severity: medium
#   theme: network
#   remediation: Remove the EXPOSE and the service behind it (use docker exec or kubectl exec for a shell); where the service is required, use its encrypted variant (SFTP, SNMPv3, the Docker API on 2376 with TLS).
package posture.image.sensitive_port

import data.posture.lib.image as img

services := [
	{"from": 21, "to": 21, "name": "FTP", "tcp_only": false},
	{"from": 22, "to": 22, "name": "SSH", "tcp_only": false},
	{"from": 23, "to": 23, "name": "Telnet", "tcp_only": false},
	{"from": 69, "to": 69, "name": "TFTP", "tcp_only": false},
	{"from": 111, "to": 111, "name": "rpcbind", "tcp_only": false},
	{"from": 161, "to": 161, "name": "SNMP", "tcp_only": false},
	{"from": 512, "to": 512, "name": "rexec", "tcp_only": true},
	{"from": 513, "to": 513, "name": "rlogin", "tcp_only": true},
	{"from": 514, "to": 514, "name": "rsh", "tcp_only": true},
	{"from": 2375, "to": 2375, "name": "the Docker API without TLS", "tcp_only": false},
	{"from": 3389, "to": 3389, "name": "RDP", "tcp_only": false},
	{"from": 5900, "to": 5903, "name": "VNC", "tcp_only": false},
	{"from": 6000, "to": 6000, "name": "X11", "tcp_only": false},
]

deny contains result if {
	some p in img.array_or_empty(img.config_field("exposed_ports"))
	is_object(p)
	r := port_range(p)
	proto := protocol(p)
	hits := [hit_text(s, r) |
		some s in services
		s.from <= r[1]
		r[0] <= s.to
		protocol_matches(s, proto)
	]
	count(hits) > 0
	spec := spec_of(p, r, proto)
	result := {"msg": message(spec, r, hits), "key": sprintf("config.ExposedPorts.%s", [spec])}
}

message(spec, r, hits) := sprintf("Port %s is exposed: %s", [spec, concat(", ", hits)]) if {
	r[0] == r[1]
} else := sprintf("Port range %s is exposed and covers %s", [spec, concat(", ", hits)])

protocol_matches(s, _) if s.tcp_only == false

protocol_matches(s, "tcp") if s.tcp_only == true

# "SSH" for a single port, "5900-5903 (VNC)" for the service's ports a range covers.
hit_text(s, r) := s.name if {
	r[0] == r[1]
} else := sprintf("%s (%s)", [ports_text(s, r), s.name])

# The service's ports inside the exposed range: "22", "5900-5903", or the part a range covers.
ports_text(s, r) := sprintf("%d", [lo]) if {
	lo := max([s.from, r[0]])
	hi := min([s.to, r[1]])
	lo == hi
} else := sprintf("%d-%d", [max([s.from, r[0]]), min([s.to, r[1]])])

# [from, to] of the entry: its port, else the range written in its spec ("5900-5910/tcp").
port_range(p) := [p.port, p.port] if {
	is_number(p.port)
} else := [to_number(m[1]), to_number(m[2])] if {
	is_string(p.spec)
	m := regex.find_all_string_submatch_n(`^\s*(\d+)-(\d+)(?:/\w+)?\s*$`, p.spec, 1)[0]
} else := [to_number(m[1]), to_number(m[1])] if {
	is_string(p.spec)
	m := regex.find_all_string_submatch_n(`^\s*(\d+)(?:/\w+)?\s*$`, p.spec, 1)[0]
}

protocol(p) := lower(p.protocol) if {
	is_string(p.protocol)
	p.protocol != ""
} else := lower(m[1]) if {
	is_string(p.spec)
	m := regex.find_all_string_submatch_n(`/(\w+)\s*$`, p.spec, 1)[0]
} else := "tcp"

# The entry's spec ("22/tcp", "5900-5910/tcp"), with the protocol added when it has none.
spec_of(p, r, proto) := trim_space(p.spec) if {
	is_string(p.spec)
	contains(p.spec, "/")
} else := sprintf("%s/%s", [trim_space(p.spec), proto]) if {
	is_string(p.spec)
	trim_space(p.spec) != ""
} else := sprintf("%d/%s", [r[0], proto]) if {
	r[0] == r[1]
} else := sprintf("%d-%d/%s", [r[0], r[1], proto])

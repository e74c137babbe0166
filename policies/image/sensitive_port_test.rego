package posture.image.sensitive_port_test

import data.posture.lib.image.testing as t
import data.posture.image.sensitive_port

port(n, proto) := {"port": n, "protocol": proto, "spec": sprintf("%d/%s", [n, proto])}

range(spec, proto) := {"port": null, "protocol": proto, "spec": spec}

with_ports(ports) := t.with_config({"exposed_ports": ports})

test_sensitive_ports[case] if {
	some case in [
		[21, "tcp", "FTP"], [22, "tcp", "SSH"], [23, "tcp", "Telnet"], [69, "udp", "TFTP"], [69, "tcp", "TFTP"],
		[111, "tcp", "rpcbind"], [111, "udp", "rpcbind"], [161, "udp", "SNMP"], [512, "tcp", "rexec"],
		[513, "tcp", "rlogin"], [514, "tcp", "rsh"], [2375, "tcp", "Docker API"], [3389, "tcp", "RDP"],
		[5900, "tcp", "VNC"], [5903, "tcp", "VNC"], [6000, "tcp", "X11"],
	]
	results := sensitive_port.deny with input as with_ports([port(8080, "tcp"), port(case[0], case[1])])
	count(results) == 1
	some r in results
	r.key == sprintf("config.ExposedPorts.%d/%s", [case[0], case[1]])
	contains(r.msg, case[2])
}

test_message if {
	some r in sensitive_port.deny with input as with_ports([port(22, "tcp")])
	r.msg == "Port 22/tcp is exposed: SSH"
}

test_ordinary_ports_pass[n] if {
	some n in [80, 443, 2376, 3000, 5432, 5904, 6001, 8080, 8443, 9090, 20, 24, 2222]
	count(sensitive_port.deny) == 0 with input as with_ports([port(n, "tcp")])
}

# 512-514/udp are biff, who and syslog, not the r-services.
test_r_services_tcp_only[n] if {
	some n in [512, 513, 514]
	count(sensitive_port.deny) == 0 with input as with_ports([port(n, "udp")])
}

test_port_range if {
	results := sensitive_port.deny with input as with_ports([range("5900-5910/tcp", "tcp")])
	count(results) == 1
	some r in results
	r.key == "config.ExposedPorts.5900-5910/tcp"
	r.msg == "Port range 5900-5910/tcp is exposed and covers 5900-5903 (VNC)"
}

test_range_covering_several if {
	some r in sensitive_port.deny with input as with_ports([range("20-23/tcp", "tcp")])
	r.msg == "Port range 20-23/tcp is exposed and covers 21 (FTP), 22 (SSH), 23 (Telnet)"
}

test_range_partly_covering if {
	some r in sensitive_port.deny with input as with_ports([range("5902-5999/tcp", "tcp")])
	contains(r.msg, "5902-5903 (VNC)")
}

test_range_missing_sensitive_ports if {
	count(sensitive_port.deny) == 0 with input as with_ports([range("8000-8100/tcp", "tcp"), range("5904-5999/tcp", "tcp")])
}

# Without a protocol field the spec's protocol counts, then tcp; without spec the key is built.
test_protocol_and_spec_fallbacks if {
	t.keys(sensitive_port.deny) == {"config.ExposedPorts.514/tcp"} with input as with_ports([{"port": 514, "protocol": null, "spec": "514/tcp"}])
	count(sensitive_port.deny) == 0 with input as with_ports([{"port": 514, "protocol": null, "spec": "514/udp"}])
	t.keys(sensitive_port.deny) == {"config.ExposedPorts.22/tcp"} with input as with_ports([{"port": 22, "protocol": null, "spec": null}])
	t.keys(sensitive_port.deny) == {"config.ExposedPorts.5900-5901/tcp"} with input as with_ports([{"port": null, "protocol": "tcp", "spec": "5900-5901"}])
}

test_one_per_entry if {
	results := sensitive_port.deny with input as with_ports([port(22, "tcp"), port(23, "tcp"), port(80, "tcp")])
	t.keys(results) == {"config.ExposedPorts.22/tcp", "config.ExposedPorts.23/tcp"}
}

test_no_ports if {
	count(sensitive_port.deny) == 0 with input as with_ports([])
	count(sensitive_port.deny) == 0 with input as with_ports(null)
	count(sensitive_port.deny) == 0 with input as t.clean_image
}

package user.net_helpers

import rego.v1

test_counting_addresses if {
	cidr.count_addresses("192.168.4.0/22") == 1024
	cidr.count_addresses("172.20.1.9") == 1
	cidr.count_addresses("fd12::/112") == 65536
	cidr.count_addresses("not-an-ip") == 0
	cidr.count_addresses("any") == 18446744073709551615
}

test_public_or_private if {
	not cidr.is_public("172.31.255.255")
	not cidr.is_public("100.64.10.0/24")
	not cidr.is_public("fe80::1")
	cidr.is_public("172.32.0.1")
	cidr.is_public("192.168.0.0/15") # the upper end leaves the private block
	cidr.is_public("internet")
	not cidr.is_public("nonsense")
}

test_managed_flag_and_parent if {
	not isManaged({"__defsec_metadata": {"managed": false}})
	isManaged({"Path": "x.tf"})
	res := result.new("m", {"Path": "main.tf", "parent": {"startline": 9}})
	res.filepath == "main.tf"
	res.parent.startline == 9
	not res.parent.msg
}

package posture.image.secret_in_history_test

import data.posture.lib.image.testing as t
import data.posture.image.secret_in_history

# A history step with exactly this created_by (instruction and command as the analyzer derives them).
raw_step(instruction, created_by, command) := {
	"index": 1, "created": "2024-05-01T00:00:00Z", "created_by": created_by,
	"instruction": instruction, "command": command, "empty_layer": instruction != "RUN", "layer": null,
}

with_raw(h) := t.image({"history": [t.base_step, h]})

test_assignments[created_by] if {
	some created_by in [
		"ARG DB_PASSWORD=hunter2-prod-password",
		"ENV API_TOKEN=tok-123456789abc",
		"/bin/sh -c #(nop)  ENV DB_PASSWORD=hunter2-prod-password",
		"/bin/sh -c #(nop)  ENV DB_PASSWORD hunter2-prod-password",
		"RUN |2 NPM_TOKEN=n0t-a-real-token-42 APP=shop /bin/sh -c npm ci # buildkit",
		"|1 DB_PASS=hunter2-prod-password /bin/sh -c ./migrate.sh",
		"RUN /bin/sh -c docker build --build-arg GITHUB_TOKEN=tok-123456789abc . # buildkit",
		"RUN /bin/sh -c export SECRET_KEY=\"hunter2-prod-password\" && ./configure # buildkit",
		"RUN /bin/sh -c DB_PASSWORD='hunter2-prod-password' ./seed.sh # buildkit",
	]
	results := secret_in_history.deny with input as with_raw(raw_step("RUN", created_by, "x"))
	count(results) == 1
	some r in results
	r.key == "history.1"
	contains(r.msg, "to a literal value")
	not contains(r.msg, "hunter2")
	not contains(r.msg, "tok-1234")
	not contains(r.msg, "n0t-a")
}

test_assignment_message if {
	some r in secret_in_history.deny with input as t.with_steps([["ARG", "DB_PASSWORD=hunter2-prod-password"]])
	r.msg == "Build step 1 (ARG) sets DB_PASSWORD to a literal value (hu****)"
}

test_shapes_anywhere[case] if {
	some case in [
		["GitHub token", "RUN /bin/sh -c git clone https://ghp_R8fT2kLq9ZxW4vB7nM1cY6pH3sD5gJ0aQeUi@github.com/org/repo # buildkit"],
		["AWS access key id", "RUN /bin/sh -c aws configure set aws_access_key_id AKIAQ3EGRT5YZQPLMN7X # buildkit"],
		["password in URL", "RUN /bin/sh -c git clone https://bob:hunter22@git.example.com/shop.git # buildkit"],
		["Slack webhook", "RUN /bin/sh -c curl -X POST https://hooks.slack.com/services/T0000000/B0000000/XXXXXXXXXXXXXXXXXXXXXXXX # buildkit"],
		["private key", "RUN /bin/sh -c echo '-----BEGIN OPENSSH PRIVATE KEY-----' > /root/.ssh/id # buildkit"],
	]
	results := secret_in_history.deny with input as with_raw(raw_step("RUN", case[1], "x"))
	count(results) == 1
	some r in results
	contains(r.msg, case[0])
	not contains(r.msg, "R8fT2kLq9")
	not contains(r.msg, "hunter22")
}

test_password_arguments[created_by] if {
	some created_by in [
		"RUN /bin/sh -c mysql -uroot -pS3cretPw shop < /schema.sql # buildkit",
		"RUN /bin/sh -c mysqladmin -u root -p'S3cretPw' create shop # buildkit",
		"RUN /bin/sh -c ./install.sh --password=S3cretPw # buildkit",
		"RUN /bin/sh -c ./install.sh --password S3cretPw # buildkit",
		"RUN /bin/sh -c kubeadm join 10.0.0.1:6443 --token abcdef.0123456789abcdef # buildkit",
		"RUN /bin/sh -c docker login -u bob -p S3cretPw registry.example.com # buildkit",
		"RUN /bin/sh -c curl -fsSL -u admin:S3cretPw https://nexus.example.com/x.tgz -o x.tgz # buildkit",
		"RUN /bin/sh -c sshpass -p S3cretPw scp host:/x /x # buildkit",
		"RUN /bin/sh -c openssl pkcs12 -export -in c.pem -out c.p12 -passout pass:S3cretPw # buildkit",
		"RUN /bin/sh -c redis-cli -h cache -a S3cretPw ping # buildkit",
		"RUN /bin/sh -c echo 'root:S3cretPw!' | chpasswd # buildkit",
		"RUN /bin/sh -c echo \"app:S3cretPw\" | sudo chpasswd # buildkit",
		"RUN /bin/sh -c echo S3cretPw | passwd --stdin app # buildkit",
	]
	results := secret_in_history.deny with input as with_raw(raw_step("RUN", created_by, "x"))
	count(results) == 1
	some r in results
	contains(r.msg, "passes a password on the command line")
	not contains(r.msg, "S3cret")
}

test_not_secrets[created_by] if {
	some created_by in [
		"ARG DB_PASSWORD",
		"ENV DB_PASSWORD_FILE=/run/secrets/db_password",
		"ENV PASSWORD=${PASSWORD}",
		"ENV GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D",
		"ENV PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8",
		"RUN /bin/sh -c apt-get update && apt-get install -y curl && mkdir -p /app # buildkit",
		"RUN /bin/sh -c export TOKEN=$(cat /run/secrets/token) && ./fetch.sh # buildkit",
		"RUN /bin/sh -c mysql -uroot -p$MYSQL_ROOT_PASSWORD shop < /schema.sql # buildkit",
		"RUN /bin/sh -c mysql -uroot -p shop # buildkit",
		"RUN /bin/sh -c cat /run/secrets/pw | docker login -u bob --password-stdin registry # buildkit",
		"RUN /bin/sh -c curl -u \"$NEXUS_USER:$NEXUS_PASS\" https://nexus.example.com/x # buildkit",
		"RUN /bin/sh -c gcc -pthread -pipe -o app app.c # buildkit",
		"RUN --mount=type=secret,id=npm,target=/root/.npmrc /bin/sh -c npm ci # buildkit",
		"RUN /bin/sh -c git clone https://github.com/org/repo.git # buildkit",
		"RUN /bin/sh -c ./install.sh --password-file /run/secrets/pw --token $TOKEN # buildkit",
		"RUN /bin/sh -c useradd -m app && passwd -d app # buildkit",
		"RUN /bin/sh -c echo \"app:$APP_PASSWORD\" | chpasswd # buildkit",
		"RUN /bin/sh -c cat /run/secrets/users | chpasswd # buildkit",
		"RUN /bin/sh -c echo 'deb http://deb.debian.org/debian bookworm main' > /etc/apt/sources.list # buildkit",
		"/bin/sh -c #(nop)  ENV SECRET_KEY=true",
	]
	count(secret_in_history.deny) == 0 with input as with_raw(raw_step("RUN", created_by, "x"))
}

test_clean_history_passes if {
	count(secret_in_history.deny) == 0 with input as t.clean_image
}

# created_by is read, and command when created_by is missing.
test_command_fallback if {
	h := object.remove(raw_step("ENV", "", "DB_PASSWORD=hunter2-prod-password"), ["created_by"])
	some r in secret_in_history.deny with input as with_raw(h)
	contains(r.msg, "DB_PASSWORD")
}

test_one_finding_per_step if {
	results := secret_in_history.deny with input as t.with_steps([
		["ARG", "DB_PASSWORD=hunter2-prod-password"],
		["ENV", "API_KEY=AKIAQ3EGRT5YZQPLMN7X GITHUB_TOKEN=ghp_R8fT2kLq9ZxW4vB7nM1cY6pH3sD5gJ0aQeUi"],
		["RUN", "echo ok"],
	])
	t.keys(results) == {"history.1", "history.2"}
	count(results) == 2
}

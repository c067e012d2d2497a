load helpers
bats_require_minimum_version 1.5.0

# lib/cgroup.c on its own: /proc/PID/cgroup text in each runtime's format,
# as its documentation shows it, to the label. Pure text: no namespace.
setup() {
	ID=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
	ID2=fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210
	UID1=8d7f1b0c-3a4e-4f5a-9b6c-1d2e3f4a5b6c
	UIDU=8d7f1b0c_3a4e_4f5a_9b6c_1d2e3f4a5b6c	# as a unit name has it
}
teardown() { :; }

# label 'CGROUP TEXT' 'EXPECTED': the text (printf escapes: \n between
# lines, \\x2d for a unit's escaped '-') gives that label and exit 0.
label() {
	run -0 "$HELP/cgroup_label" < <(printf "$1")
	assert_output "$2"
}

# table: lines of "TEXT => EXPECTED", blank lines and # comments skipped.
table() {
	local line text want n=0
	while IFS= read -r line; do
		case $line in ''|'#'*) continue ;; esac
		text=${line%% => *}
		want=${line#* => }
		label "$text" "$want"
		n=$((n + 1))
	done
	[ "$n" -gt 0 ]
}

@test "cgroup: docker, systemd and cgroupfs drivers, rootless, nested" {
	table <<-EOF
	0::/system.slice/docker-$ID.scope => docker id=$ID | docker:0123456789ab
	0::/docker/$ID => docker id=$ID | docker:0123456789ab
	# the host's view of a container with its own cgroup namespace
	0::/../../system.slice/docker-$ID.scope => docker id=$ID | docker:0123456789ab
	0::/user.slice/user-1000.slice/user@1000.service/user.slice/docker-$ID.scope => docker id=$ID | docker:0123456789ab
	# docker in docker: the innermost container
	0::/docker/$ID/docker/$ID2 => docker id=$ID2 | docker:fedcba987654
	# systemd inside the container
	0::/system.slice/docker-$ID.scope/init.scope => docker id=$ID | docker:0123456789ab
	0::/system.slice/docker-$ID.scope/system.slice/cron.service => docker id=$ID | docker:0123456789ab
	# an id that is not 64 hex digits is no container
	0::/system.slice/docker-0123456789AB.scope => host | host
	EOF
}

@test "cgroup: v1 and hybrid hosts (the v2 line first, v1 for a container)" {
	# cgroupfs driver on a hybrid host: v2 shows the runtime's service
	label "12:memory:/docker/$ID\n11:pids:/docker/$ID\n1:name=systemd:/docker/$ID\n0::/system.slice/containerd.service\n" \
	    "docker id=$ID v1 | docker:0123456789ab"
	# pure v1 (no 0:: line)
	label "11:cpuset:/docker/$ID\n10:cpu,cpuacct:/docker/$ID\n1:name=systemd:/docker/$ID\n" \
	    "docker id=$ID v1 | docker:0123456789ab"
	label "4:memory:/system.slice/sshd.service\n1:name=systemd:/system.slice/sshd.service\n" \
	    "service name=sshd v1 | service:sshd"
	# this machine: a v1 controller somewhere else, v2 at the root
	label "9:name=systemd:/\n4:memory:/process_api/a48fd189b9589bbf69db79e32e2ca540\n0::/\n" \
	    "host | host"
	# a v1 line naming a service does not override the v2 line
	label "1:name=systemd:/system.slice/nginx.service\n0::/\n" "host | host"
	label "1:name=systemd:/system.slice/docker-$ID.scope\n0::/system.slice/docker-$ID.scope\n" \
	    "docker id=$ID | docker:0123456789ab"
}

@test "cgroup: kubernetes with containerd, cri-o, docker; both drivers" {
	table <<-EOF
	0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod$UIDU.slice/cri-containerd-$ID.scope => kubernetes engine=containerd id=$ID pod=$UID1 | kubernetes:$UID1/0123456789ab
	0::/kubepods.slice/kubepods-pod$UIDU.slice/cri-containerd-$ID.scope => kubernetes engine=containerd id=$ID pod=$UID1 | kubernetes:$UID1/0123456789ab
	0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod$UIDU.slice/crio-$ID.scope => kubernetes engine=cri-o id=$ID pod=$UID1 | kubernetes:$UID1/0123456789ab
	0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod$UIDU.slice/crio-conmon-$ID.scope => kubernetes engine=cri-o id=$ID pod=$UID1 monitor | kubernetes:$UID1/0123456789ab/monitor
	0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod$UIDU.slice/docker-$ID.scope => kubernetes engine=docker id=$ID pod=$UID1 | kubernetes:$UID1/0123456789ab
	0::/kubepods/burstable/pod$UID1/$ID => kubernetes engine=other id=$ID pod=$UID1 | kubernetes:$UID1/0123456789ab
	0::/kubepods/pod$UID1/$ID => kubernetes engine=other id=$ID pod=$UID1 | kubernetes:$UID1/0123456789ab
	0::/kubepods/besteffort/pod$UID1/crio-$ID => kubernetes engine=cri-o id=$ID pod=$UID1 | kubernetes:$UID1/0123456789ab
	# a static pod: its UID is a hash of its manifest, no dashes
	0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod0123456789abcdef0123456789abcdef.slice/cri-containerd-$ID.scope => kubernetes engine=containerd id=$ID pod=0123456789abcdef0123456789abcdef | kubernetes:0123456789abcdef0123456789abcdef/0123456789ab
	# kind: kubernetes in a docker container, cgroup root /kubelet
	0::/system.slice/docker-$ID2.scope/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-besteffort.slice/kubelet-kubepods-besteffort-pod$UIDU.slice/cri-containerd-$ID.scope => kubernetes engine=containerd id=$ID pod=$UID1 | kubernetes:$UID1/0123456789ab
	# the pod's own cgroup, no container
	0::/kubepods.slice/kubepods-pod$UIDU.slice => kubernetes engine=other pod=$UID1 | kubernetes:$UID1
	# containerd without kubernetes (nerdctl)
	0::/system.slice/nerdctl-$ID.scope => containerd id=$ID | containerd:0123456789ab
	EOF
	label "12:memory:/kubepods/burstable/pod$UID1/$ID\n0::/system.slice/containerd.service\n" \
	    "kubernetes engine=other id=$ID pod=$UID1 v1 | kubernetes:$UID1/0123456789ab"
}

@test "cgroup: podman, rootful and rootless, its monitor, its pods" {
	table <<-EOF
	0::/machine.slice/libpod-$ID.scope => podman id=$ID | podman:0123456789ab
	0::/machine.slice/libpod-$ID.scope/container => podman id=$ID | podman:0123456789ab
	0::/machine.slice/libpod-conmon-$ID.scope => podman id=$ID monitor | podman-monitor:0123456789ab
	0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-$ID.scope => podman id=$ID | podman:0123456789ab
	0::/machine.slice/machine-libpod_pod_$ID2.slice/libpod-$ID.scope => podman id=$ID pod=$ID2 | podman:0123456789ab
	0::/libpod_parent/libpod-$ID => podman id=$ID | podman:0123456789ab
	EOF
}

@test "cgroup: systemd-nspawn machines (unit names unescaped), lxc" {
	table <<-'EOF'
	0::/machine.slice/machine-test.scope => nspawn name=test | nspawn:test
	0::/machine.slice/machine-test\\x2done.scope => nspawn name=test-one | nspawn:test-one
	0::/machine.slice/machine-test\\x2done.scope/payload => nspawn name=test-one | nspawn:test-one
	0::/machine.slice/machine-test.scope/supervisor => nspawn name=test monitor | nspawn-monitor:test
	# an escape that is not one stays as written
	0::/machine.slice/machine-a\\xzz.scope => nspawn name=a\xzz | nspawn:a\xzz
	0::/lxc.payload.c1 => lxc name=c1 | lxc:c1
	0::/lxc.payload.c1/init.scope => lxc name=c1 | lxc:c1
	0::/lxc.payload.myproject_c1/system.slice/cron.service => lxc name=myproject_c1 | lxc:myproject_c1
	0::/lxc.monitor.c1 => lxc name=c1 monitor | lxc-monitor:c1
	0::/lxc/c1 => lxc name=c1 | lxc:c1
	EOF
	label "4:memory:/lxc/web\n1:name=systemd:/lxc/web\n" "lxc name=web v1 | lxc:web"
}

@test "cgroup: services, the host, user sessions, other cgroups" {
	table <<-EOF
	0::/system.slice/nginx.service => service name=nginx | service:nginx
	0::/system.slice/system-getty.slice/getty@tty1.service => service name=getty@tty1 | service:getty@tty1
	0::/system.slice/docker.service => service name=docker | service:docker
	0::/ => host | host
	0::/init.scope => host | host
	0::/system.slice => host | host
	0::/user.slice/user-1000.slice/session-3.scope => host | host
	0::/user.slice/user-1000.slice/user@1000.service/app.slice/gnome-terminal-server.service => host | host
	0::/mygroup/job7 => other name=job7 | other:job7
	0::/actions_job/$ID => other id=$ID | other:0123456789ab
	EOF
	label '0::/system.slice/foo\\x2dbar.service\n' \
	    "service name=foo-bar | service:foo-bar"
}

@test "cgroup: text of no cgroup form is refused, and is the host" {
	local t
	for t in '' 'garbage\n' '0::relative\n' ':x:/docker\n' '0:/\n' \
	    'a::/system.slice/docker-x.scope\n' '0::\n'; do
		run -1 "$HELP/cgroup_label" < <(printf "$t")
		assert_output "host | host"
	done
	# a bad line among good ones is passed over; the last has no newline
	label "junk\n0::/system.slice/nginx.service" "service name=nginx | service:nginx"
	# a name longer than any directory's is cut, not dropped
	label "0::/lxc.payload.$(printf 'n%.0s' {1..300})\n" \
	    "lxc name=$(printf 'n%.0s' {1..255}) | lxc:$(printf 'n%.0s' {1..255})"
	label "0::/$(printf 'n%.0s' {1..300})\n" \
	    "other name=$(printf 'n%.0s' {1..255}) | other:$(printf 'n%.0s' {1..255})"
}

# Shared by lock.bats, unlock.bats and lock_stress.bats.

# Kill a process the way a crash does, and reap it.
crash() {
	kill -9 "$1"
	wait "$1" 2>/dev/null || true
}

value() {
	pipc ls -J "sem:$1" | jq -r '.objects[0].value'
}

record() {
	"$HELP/lock_xattr" get "/dev/shm/sem.$1"
}

# A process that surely is dead: started, killed, reaped.
dead_pid() {
	sleep 100 &
	local p=$!
	crash "$p"
	echo "$p"
}

# An owner record for PID with its true start time, or another one.
fake_record() {
	local pid=$1 start boot ns
	start=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f20)
	boot=$(cat /proc/sys/kernel/random/boot_id)
	ns=$(stat -L -c %i /proc/self/ns/pid)
	echo "$pid ${2:-${start:-1}} ${3:-$boot} $ns"
}

# Milliseconds on a monotonic clock, to time a command.
now_ms() {
	echo $(( $(date +%s%N) / 1000000 ))
}

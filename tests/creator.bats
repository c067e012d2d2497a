#!/usr/bin/env bats
# Who made an object (lib/creator.c): the CREATOR column and JSON field of
# ls, and the rules gc follows for them (pipc-gc(1), CREATORS).
bats_require_minimum_version 1.5.0
load helpers

# One name per row of the table, as its program would make it.
NAMES="PostgreSQL.2718281828 psm_0a1b2c3d nccl-Xy12Ab
vader_segment.node1.7b2a0001.0 sm_segment.node1.0.7b2a0001.3
mpich_shar_tmpAbC123 jack-shm-registry jack-1000-3 jack_sem.1000_default_a
pulse-shm-123456789 .org.chromium.Chromium.q8XzT1 .com.google.Chrome.Zk3aQ9
torch_4242_1234567_0"

# Wait (a bounded busy loop, no sleep) until PID's command name is COMM.
wait_comm() {
	local i
	for ((i = 0; i < 100000; i++)); do
		[ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ] && return 0
	done
	return 1
}

# A process named postgres, as the postmaster's comm reads: a copy of
# sleep under that file name. PG_PID is its PID.
fake_postgres() {
	cp "$(command -v sleep)" "$BATS_TEST_TMPDIR/postgres"
	"$BATS_TEST_TMPDIR/postgres" 1000 &
	PG_PID=$!
	wait_comm "$PG_PID" postgres
}

@test "creator: the matcher alone, name by name and kind by kind" {
	run "$HELP/creator_match" shm:PostgreSQL.1 shm:/PostgreSQL.4294967295 \
	    shm:PostgreSQL. shm:PostgreSQL.12a sem:PostgreSQL.1 \
	    shm:psm_0a1b2c3d shm:psm_ shm:psm_XYZ shm:psm_0a1b.x \
	    sem:mp-ab_3xyz9 shm:mp-ab_3xyz9 sem:mp- \
	    shm:nccl-AbC123 shm:nccl- shm:vader_segment.h.1.0 \
	    shm:sm_segment.h.0.1.0 shm:mpich_shar_tmpA1b2C3 \
	    shm:jack-shm-registry shm:jack-shm-registryx shm:jack-1000-0 \
	    shm:jack-1000 shm:jack_sem.1000_default_c sem:jack_sem.0_x_y \
	    mq:jack_sem.0_x_y shm:pulse-shm-42 shm:pulse-shm-42x \
	    shm:.org.chromium.Chromium.AbCdEf shm:.com.google.Chrome.AbCdEf \
	    shm:torch_1_2_3 shm:torch_1_2 shm:plain shm:
	assert_success
	assert_output "shm PostgreSQL.1 postgresql while-running
shm /PostgreSQL.4294967295 postgresql while-running
shm PostgreSQL. - -
shm PostgreSQL.12a - -
sem PostgreSQL.1 - -
shm psm_0a1b2c3d python unknown
shm psm_ - -
shm psm_XYZ - -
shm psm_0a1b.x - -
sem mp-ab_3xyz9 python safe
shm mp-ab_3xyz9 - -
sem mp- - -
shm nccl-AbC123 nccl safe
shm nccl- - -
shm vader_segment.h.1.0 openmpi safe
shm sm_segment.h.0.1.0 openmpi safe
shm mpich_shar_tmpA1b2C3 mpich safe
shm jack-shm-registry jack never
shm jack-shm-registryx - -
shm jack-1000-0 jack safe
shm jack-1000 - -
shm jack_sem.1000_default_c jack safe
sem jack_sem.0_x_y jack safe
mq jack_sem.0_x_y - -
shm pulse-shm-42 pulseaudio safe
shm pulse-shm-42x - -
shm .org.chromium.Chromium.AbCdEf chromium safe
shm .com.google.Chrome.AbCdEf chrome safe
shm torch_1_2_3 pytorch while-running
shm torch_1_2 - -
shm plain - -
shm  - -"
	run "$HELP/creator_match" shm
	assert_failure 2
}

@test "creator: the matcher tells whether a program runs, by comm" {
	run "$HELP/creator_match" -r postgresql
	assert_success
	assert_output no
	fake_postgres
	run "$HELP/creator_match" -r postgresql
	assert_success
	assert_output "runs $PG_PID"
	run "$HELP/creator_match" -r nosuchprogram
	assert_failure 1
}

@test "ls: each pattern labelled with its program, in the table and JSON" {
	for n in $NAMES; do
		touch "/dev/shm/$n"
	done
	touch /dev/shm/sem.mp-q1w2e3r4 /dev/shm/plain
	head -c 32 /dev/zero > /dev/shm/sem.jack_sem.1000_default_b
	run --separate-stderr pipc ls -n -t shm -t sem -o TYPE,NAME,CREATOR
	assert_success
	[ -z "$stderr" ]
	assert_output "shm /.com.google.Chrome.Zk3aQ9      chrome
shm /.org.chromium.Chromium.q8XzT1  chromium
shm /PostgreSQL.2718281828          postgresql
shm /jack-1000-3                    jack
shm /jack-shm-registry              jack
shm /jack_sem.1000_default_a        jack
shm /mpich_shar_tmpAbC123           mpich
shm /nccl-Xy12Ab                    nccl
shm /plain                          -
shm /psm_0a1b2c3d                   python
shm /pulse-shm-123456789            pulseaudio
shm /sm_segment.node1.0.7b2a0001.3  openmpi
shm /torch_4242_1234567_0           pytorch
shm /vader_segment.node1.7b2a0001.0 openmpi
sem /jack_sem.1000_default_b        jack
sem /mp-q1w2e3r4                    python"
	run --separate-stderr pipc ls -J -t shm -t sem
	assert_success
	run jq -r '.objects[] | "\(.type) \(.name) \(.creator)"' <<< "$output"
	assert_success
	assert_line "shm /PostgreSQL.2718281828 postgresql"
	assert_line "shm /plain null"
	assert_line "sem /mp-q1w2e3r4 python"
	# null is JSON's null, not a string.
	run pipc ls -J -t shm
	run jq -e '.objects[] | select(.name == "/plain") | .creator == null' \
	    <<< "$output"
	assert_success
	# Not a default column: the default table is as it was.
	run pipc ls
	assert_success
	refute_output --partial CREATOR
	refute_output --partial postgresql
}

@test "ls: real multiprocessing.shared_memory objects are labelled python" {
	command -v python3 >/dev/null || skip "no python3"
	start_until ready python3 -c '
import multiprocessing as mp, sys, time
from multiprocessing import shared_memory
shm = shared_memory.SharedMemory(create=True, size=4096)
lock = mp.get_context("spawn").Lock()
print("ready", flush=True)
time.sleep(1000)'
	run --separate-stderr pipc ls -n -t shm -t sem -o TYPE,NAME,CREATOR,STATE
	assert_success
	[ -z "$stderr" ]
	assert_line --regexp '^shm +/psm_[0-9a-f]{8} +python +in-use$'
	assert_line --regexp '^sem +/mp-[a-z0-9_]{8} +python +in-use$'
	[ "${#lines[@]}" -eq 2 ]
	run pipc ls -J -t shm -t sem
	assert_success
	run jq -r '[.objects[] | .creator] | join(",")' <<< "$output"
	assert_success
	assert_output "python,python"
}

@test "gc: PostgreSQL.N is kept while a postgres runs, and says why" {
	touch /dev/shm/PostgreSQL.1804289383 /dev/shm/other
	fake_postgres
	run --separate-stderr pipc gc -n -v --min-age 0
	assert_success
	assert_line --regexp "^shm /PostgreSQL.1804289383 +0 orphan +kept: postgresql's, postgres runs \(PID $PG_PID\)$"
	assert_line --regexp '^shm /other +0 orphan +would remove$'
	assert_line 'gc: would remove 1 object (0), kept 1 (1 by creator)'
	run pipc gc --check -v --min-age 0 -J
	assert_failure 4
	run jq -r '.objects[] | select(.name == "/PostgreSQL.1804289383")
	    | "\(.creator) \(.action)"' <<< "$output"
	assert_output "postgresql kept: postgresql's, postgres runs (PID $PG_PID)"
	run pipc gc --min-age 0 -J
	assert_success
	run jq -r '.summary | "\(.removed) \(.kept) \(.creator)"' <<< "$output"
	assert_output "1 1 1"
	[ -e /dev/shm/PostgreSQL.1804289383 ]
	[ ! -e /dev/shm/other ]
	# --force takes objects whose holders are unknown, not these.
	run pipc gc --force --min-age 0
	assert_success
	[ -e /dev/shm/PostgreSQL.1804289383 ]
}

@test "gc: PostgreSQL.N goes once no postgres runs; argv[0] is not trusted" {
	touch /dev/shm/PostgreSQL.1804289383
	fake_postgres
	run pipc gc --min-age 0
	assert_success
	assert_output 'gc: removed 0 objects (0), kept 1 (1 by creator)'
	kill "$PG_PID"
	wait "$PG_PID" 2>/dev/null || true
	# A command line that says postgres is anybody's to write.
	bash -c 'exec -a postgres sleep 1000' &
	wait_comm $! sleep
	run --separate-stderr pipc gc -v --min-age 0
	assert_success
	assert_line --regexp '^shm /PostgreSQL.1804289383 +0 orphan +removed$'
	assert_line 'gc: removed 1 object (0), kept 0'
	[ ! -e /dev/shm/PostgreSQL.1804289383 ]
}

@test "gc: JACK's registry is never collected, and gc says so" {
	touch /dev/shm/jack-shm-registry /dev/shm/jack-1000-0
	run --separate-stderr pipc gc -v --min-age 0
	assert_success
	[ -z "$stderr" ]
	assert_line --regexp "^shm /jack-shm-registry +0 orphan +kept: jack's, never collected$"
	assert_line --regexp '^shm /jack-1000-0 +0 orphan +removed$'
	assert_line 'gc: removed 1 object (0), kept 1 (1 by creator)'
	[ -e /dev/shm/jack-shm-registry ]
	# Without -v the kept line is left out, the summary still counts it.
	run pipc gc --min-age 0
	assert_success
	assert_output 'gc: removed 0 objects (0), kept 1 (1 by creator)'
	# Its JSON row names the program.
	run pipc gc -v --min-age 0 -J
	run jq -r '.objects[0] | "\(.creator) \(.reason)"' <<< "$output"
	assert_output "jack orphan"
	# Removing it by name is still the user's to do.
	run pipc rm /jack-shm-registry
	assert_success
	[ ! -e /dev/shm/jack-shm-registry ]
}

@test "gc: a postgres that /proc hides may run: the segment is kept" {
	touch /dev/shm/PostgreSQL.7
	chown 65534:65534 /dev/shm/PostgreSQL.7
	fake_postgres
	# A /proc of our own with hidepid: nobody sees no root process.
	run unshare --mount sh -c 'mount -t proc -o hidepid=invisible proc /proc &&
	    exec setpriv --reuid=65534 --regid=65534 --clear-groups \
	    "$0" gc -t shm -v --min-age 0' "$PIPC"
	assert_success
	assert_line --regexp "^shm /PostgreSQL.7 +0 orphan +kept: postgresql's, postgres may run unseen$"
	[ -e /dev/shm/PostgreSQL.7 ]
}

@test "gc: a quarantine of PostgreSQL.N goes back under its name while postgres runs" {
	touch /dev/shm/PostgreSQL.9
	q=$("$HELP/gc_plant" /dev/shm PostgreSQL.9)
	run pipc ls -n -o NAME,CREATOR
	assert_success
	assert_output --regexp "^/$q\(/PostgreSQL.9\) +postgresql$"
	fake_postgres
	run pipc gc -v --min-age 0
	assert_success
	assert_line --regexp "^shm /$q\(/PostgreSQL.9\) +0 quarantine +restored$"
	[ -e /dev/shm/PostgreSQL.9 ]
	[ ! -e "/dev/shm/$q" ]
}

load helpers

# Objects made by pipc, used by a plain C program through shm_open,
# sem_open and mq_open; and the other way round.
P() {
	"$HELP/interop_posix" "$@"
}

@test "interop: shm made by pipc is read and written through shm_open" {
	pipc create shm /obj -s 4K >/dev/null
	printf 'from pipc' | pipc map obj --write
	run P shm-read /obj
	assert_success
	assert_output "from pipc"
	P shm-write /obj "from C"
	run pipc map obj --length 9
	assert_output "from Cipc"
}

@test "interop: a semaphore made by pipc works with sem_open" {
	pipc create sem /s -v 2 >/dev/null
	run P sem-value /s
	assert_output 2
	P sem-trywait /s
	P sem-trywait /s
	run P sem-trywait /s
	assert_failure 3
	P sem-post /s
	run pipc ls -J sem:s
	[ "$(jq -r '.objects[0].value' <<<"$output")" = 1 ]
}

@test "interop: a queue made by pipc works with mq_open" {
	pipc create mq /q --maxmsg 3 --msgsize 100 >/dev/null
	run P mq-attr /q
	assert_output "3 100 0"
	pipc send -p 4 q 'hello C'
	run P mq-recv /q
	assert_output "4 hello C"
	P mq-send /q 'hello pipc' 2
	run pipc recv -J q
	assert_output '{"priority":2,"size":10,"message":"hello pipc"}'
}

@test "interop: objects made by shm_open/sem_open/mq_open are listed by pipc" {
	P shm-make /cs 100 'made in C'
	P sem-make /cl 5
	P mq-make /cq 2 50
	run pipc ls -o type,name,value,maxmsg,msgsize
	assert_success
	assert_output "TYPE NAME VALUE MAXMSG MSGSIZE
shm  /cs      -      -       -
sem  /cl      5      -       -
mq   /cq      -      2      50"
	run pipc ls -b -o size -n shm:cs
	assert_output 100
}

@test "interop: pipc maps, sends to and removes what a C program made" {
	P shm-make /cs 100 'made in C'
	P sem-make /cl 5
	P mq-make /cq 2 50
	run pipc map cs --length 9
	assert_output "made in C"
	pipc send cq 'to C'
	run P mq-recv /cq
	assert_output "0 to C"
	run pipc rm -v cs cl cq
	assert_success
	assert_output $'removed shm:/cs\nremoved sem:/cl\nremoved mq:/cq'
	run P shm-read /cs
	assert_failure 1
	run P sem-value /cl
	assert_failure 1
	run P mq-attr /cq
	assert_failure 1
}

@test "interop: removal by pipc is seen by the C calls, unlink by C by pipc" {
	pipc create shm a -s 1 >/dev/null
	pipc create sem a >/dev/null
	pipc create mq a >/dev/null
	P unlink shm /a
	P unlink sem /a
	P unlink mq /a
	run pipc ls -n
	assert_output ""
}

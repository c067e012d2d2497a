# bash completion for pipc(1). Every list (commands, options, columns,
# object names) comes from `pipc __complete`, so it cannot drift from the
# binary; only the kind of object each command takes is written here.

# Objects of kind $1 (empty: every kind) whose names start with $2, quoted
# for the command line; a leading '/' in $2 asks for '/name' forms.
_pipc_objects()
{
	local kind=$1 cur=$2 pre= slash= name
	local -a names

	case $cur in
	shm:* | sem:* | mq:*)
		kind=${cur%%:*} pre=$kind: cur=${cur#*:}
		;;
	esac
	[[ $cur == /* ]] && slash=/ cur=${cur#/}
	mapfile -t names < <(env ${_pipc_env[@]+"${_pipc_env[@]}"} \
	    "$_pipc_bin" __complete objects $kind 2>/dev/null)
	for name in "${names[@]}"; do
		name=${name#/}
		[[ $name == "$cur"* ]] || continue
		printf -v name %q "$slash$name"
		COMPREPLY+=("$pre$name")
	done
}

# The values of -o: a comma list, maybe after '+' or "--output=";
# complete its last item and keep what comes before.
_pipc_columns()
{
	local cur=$1 pre= col
	local -a cols

	pre=${cur%"${cur##*[,+=]}"} cur=${cur##*[,+=]}
	mapfile -t cols < <("$_pipc_bin" __complete columns 2>/dev/null)
	for col in "${cols[@]}"; do
		[[ $cur == *[a-z]* ]] && col=${col,,}
		[[ $col == "${cur}"* ]] && COMPREPLY+=("$pre$col")
	done
}

_pipc()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev= w arg cmd= kind= ty= strip=
	local _pipc_bin=${COMP_WORDS[0]} kinds='^(shm|sem|mq)$'
	local -a _pipc_env=()
	local -i i npos=0

	COMPREPLY=()
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	# Run as pipc-NAME it is that command; ask pipc itself for the lists.
	w=${_pipc_bin##*/}
	if [[ $w == pipc-* ]]; then
		cmd=${w#pipc-} _pipc_bin=${_pipc_bin%-*}
	fi
	# Where ':' and '=' break words, "sem:name" and "--type=sem" arrive
	# as three; join them, and strip what is not the current word later.
	if [[ $cur == : && $prev =~ $kinds ]]; then
		strip=$prev cur=$prev: prev=${COMP_WORDS[COMP_CWORD - 2]-}
	elif [[ $prev == : && ${COMP_WORDS[COMP_CWORD - 2]-} =~ $kinds ]]; then
		strip=${COMP_WORDS[COMP_CWORD - 2]}: cur=$strip$cur
		prev=${COMP_WORDS[COMP_CWORD - 3]-}
	elif [[ $prev == = ]]; then
		prev=${COMP_WORDS[COMP_CWORD - 2]-}
	fi

	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]} arg=
		case $w in
		--*=*) arg=${w#*=} w=${w%%=*} ;;
		--shm-dir | --mqueue-dir | -t | --type | -o | --output)
			[[ ${COMP_WORDS[i + 1]-} == = ]] && i+=1
			((i + 1 < COMP_CWORD)) || continue
			i+=1
			arg=${COMP_WORDS[i]}
			;;
		esac
		case $w in
		--shm-dir) _pipc_env+=("PIPC_SHM_DIR=$arg") ;;
		--mqueue-dir) _pipc_env+=("PIPC_MQUEUE_DIR=$arg") ;;
		-t | --type) ty=$arg ;;
		-* | :) ;;
		*)
			# The kind of a split "sem:name": one operand, not two.
			[[ ${COMP_WORDS[i + 1]-} == : ]] && continue
			if [[ -z $cmd ]]; then cmd=$w; else npos+=1; fi
			;;
		esac
	done
	_pipc_reply "$cur" "$prev" "$cmd" "$ty" "$npos"
	[[ -n $strip ]] && COMPREPLY=("${COMPREPLY[@]#"$strip"}")
	return 0
}

# What to offer for the word cur, once _pipc has read the line.
_pipc_reply()
{
	local cur=$1 prev=$2 cmd=$3 ty=$4 npos=$5 kind=

	case $prev in
	-t | --type)
		mapfile -t COMPREPLY < <(compgen -W "shm sem mq" -- "$cur")
		return
		;;
	-o | --output)
		_pipc_columns "$cur"
		return
		;;
	--shm-dir | --mqueue-dir)
		mapfile -t COMPREPLY < <(compgen -d -- "$cur")
		return
		;;
	esac
	case $cur in
	--output=*) _pipc_columns "$cur"; return ;;
	--type=*)
		mapfile -t COMPREPLY < <(compgen -W \
		    "--type=shm --type=sem --type=mq" -- "$cur")
		return
		;;
	esac

	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			mapfile -t COMPREPLY < <(compgen -W "--version -V --help -h" \
			    -- "$cur")
		else
			mapfile -t COMPREPLY < <(compgen -W "help $("$_pipc_bin" \
			    __complete commands 2>/dev/null)" -- "$cur")
		fi
		return
	fi
	if [[ $cur == -* && $cmd != help ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$("$_pipc_bin" __complete \
		    options "$cmd" 2>/dev/null)" -- "$cur")
		return
	fi

	# What a command's operands name: the one place kinds are written down.
	case $cmd in
	help)
		((npos == 0)) && mapfile -t COMPREPLY < <(compgen -W \
		    "$("$_pipc_bin" __complete commands 2>/dev/null)" -- "$cur")
		;;
	create)
		((npos == 0)) && mapfile -t COMPREPLY < <(compgen -W \
		    "shm sem mq" -- "$cur")
		;;
	map) ((npos == 0)) && _pipc_objects shm "$cur" ;;
	lock | unlock) ((npos == 0)) && _pipc_objects sem "$cur" ;;
	send | recv) ((npos == 0)) && _pipc_objects mq "$cur" ;;
	rm | ls | gc)
		case $ty in shm | sem | mq) kind=$ty ;; esac
		_pipc_objects "$kind" "$cur"
		;;
	atomics) ;;
	esac
}

complete -F _pipc pipc pipc-atomics pipc-create pipc-gc pipc-lock pipc-ls \
    pipc-map pipc-recv pipc-rm pipc-send pipc-unlock

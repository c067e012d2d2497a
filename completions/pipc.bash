# bash completion for pipc(1). Every list (commands and their link names,
# options and what their arguments are, kinds, columns, object names, what
# a command's operand names) comes from `pipc __complete`, so it cannot
# drift from the binary: no such list is written here.

# The binary's answer to __complete ARGS, one item per line, in _pipc_out.
_pipc_ask()
{
	mapfile -t _pipc_out < <("$_pipc_bin" __complete "$@" 2>/dev/null)
}

# Add to COMPREPLY the words of _pipc_out that start with $2, each after
# the prefix $1.
_pipc_offer()
{
	local pre=$1 cur=$2 w

	for w in "${_pipc_out[@]}"; do
		[[ $w == "$cur"* ]] && COMPREPLY+=("$pre$w")
	done
}

# Objects of kind $1 (empty: every kind) whose names start with $2, quoted
# for the command line; a "KIND:" prefix in $2 asks for that kind, a
# leading '/' for '/name' forms.
_pipc_objects()
{
	local kind=$1 cur=$2 pre= slash= name

	if [[ $cur == *:* && ${cur%%:*} =~ $_pipc_kinds ]]; then
		kind=${cur%%:*} pre=$kind: cur=${cur#*:}
	fi
	[[ $cur == /* ]] && slash=/ cur=${cur#/}
	_pipc_ask objects $kind ${_pipc_dirs[@]+"${_pipc_dirs[@]}"}
	for name in "${_pipc_out[@]}"; do
		name=${name#/}
		[[ $name == "$cur"* ]] || continue
		printf -v name %q "$slash$name"
		COMPREPLY+=("$pre$name")
	done
}

# The values of an option's argument of kind $1 (see `__complete options`)
# that complete $2, each after the prefix $3.
_pipc_value()
{
	local what=$1 cur=$2 pre=$3 col

	case $what in
	kind)
		_pipc_ask kinds
		_pipc_offer "$pre" "$cur"
		;;
	column)
		# A comma list, maybe after '+': complete its last item.
		pre=$pre${cur%"${cur##*[,+]}"} cur=${cur##*[,+]}
		_pipc_ask columns
		for col in "${_pipc_out[@]}"; do
			[[ $cur == *[a-z]* ]] && col=${col,,}
			[[ $col == "$cur"* ]] && COMPREPLY+=("$pre$col")
		done
		;;
	dir) mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -P "$pre" -d -- "$cur") ;;
	file) mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -P "$pre" -f -- "$cur") ;;
	user) mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -P "$pre" -u -- "$cur") ;;
	esac
}

# What an option's argument is (kind, column, dir, file, user or value),
# or empty if it takes none, as the command's table says.
_pipc_argof()
{
	local o=$1

	[[ $o == --*=* ]] && o=${o%%=*}
	REPLY=${_pipc_optarg[$o]-}
}

_pipc()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev= w arg cmd= ty= strip=
	local _pipc_bin=${COMP_WORDS[0]} _pipc_kinds REPLY
	local -a _pipc_out=() _pipc_dirs=()
	local -A _pipc_optarg=()
	local -i i npos=0

	COMPREPLY=()
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	# Run as pipc-NAME it is that command; ask pipc itself for the lists.
	w=${_pipc_bin##*/}
	if [[ $w == pipc-* ]]; then
		cmd=${w#pipc-} _pipc_bin=${_pipc_bin%-*}
	fi
	_pipc_ask kinds
	_pipc_kinds="^($(IFS='|'; echo "${_pipc_out[*]}"))$"
	# Where ':' and '=' break words, "sem:name" and "--type=sem" arrive
	# as three; join them, and strip what is not the current word later.
	if [[ $cur == : && $prev =~ $_pipc_kinds ]]; then
		strip=$prev cur=$prev: prev=${COMP_WORDS[COMP_CWORD - 2]-}
	elif [[ $prev == : && ${COMP_WORDS[COMP_CWORD - 2]-} =~ $_pipc_kinds ]]
	then
		strip=${COMP_WORDS[COMP_CWORD - 2]}: cur=$strip$cur
		prev=${COMP_WORDS[COMP_CWORD - 3]-}
	elif [[ $prev == = ]]; then
		prev=${COMP_WORDS[COMP_CWORD - 2]-}
	fi

	_pipc_table "$cmd"
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]} arg=
		_pipc_argof "$w"
		if [[ -n $REPLY && $w == --*=* ]]; then
			arg=${w#*=} w=${w%%=*}
		elif [[ -n $REPLY ]]; then
			[[ ${COMP_WORDS[i + 1]-} == = ]] && i+=1
			((i + 1 < COMP_CWORD)) || continue
			i+=1
			arg=${COMP_WORDS[i]}
		fi
		case $REPLY in
		dir) _pipc_dirs+=("$w=$arg") ;;
		kind) ty=$arg ;;
		'')
			[[ $w == -* || $w == : ]] && continue
			# The kind of a split "sem:name": one operand, not two.
			[[ ${COMP_WORDS[i + 1]-} == : ]] && continue
			if [[ -z $cmd ]]; then
				cmd=$w
				_pipc_table "$cmd"
			else
				npos+=1
			fi
			;;
		esac
	done
	_pipc_reply "$cur" "$prev" "$cmd" "$ty" "$npos"
	[[ -n $strip ]] && COMPREPLY=("${COMPREPLY[@]#"$strip"}")
	return 0
}

# The options of command $1 (pipc's own before a command): each spelling
# and what its argument is, into _pipc_optarg.
_pipc_table()
{
	local line

	_pipc_optarg=()
	[[ $1 == help ]] && return
	_pipc_ask options ${1:+"$1"}
	for line in "${_pipc_out[@]}"; do
		[[ $line == *$'\t'* ]] || line+=$'\t'
		_pipc_optarg[${line%%$'\t'*}]=${line#*$'\t'}
	done
}

# What to offer for the word cur, once _pipc has read the line.
_pipc_reply()
{
	local cur=$1 prev=$2 cmd=$3 ty=$4 npos=$5 what

	_pipc_argof "$prev"
	if [[ -n $REPLY && $prev != --*=* ]]; then
		_pipc_value "$REPLY" "$cur" ""
		return
	fi
	if [[ $cur == --*=* ]]; then
		_pipc_argof "$cur"
		[[ -n $REPLY ]] && _pipc_value "$REPLY" "${cur#*=}" "${cur%%=*}="
		return
	fi
	if [[ $cur == -* && $cmd != help ]]; then
		_pipc_out=("${!_pipc_optarg[@]}")
		mapfile -t COMPREPLY < <(compgen -W "${_pipc_out[*]}" -- "$cur")
		return
	fi
	if [[ -z $cmd ]]; then
		_pipc_ask commands
		_pipc_out=(help "${_pipc_out[@]}")
		_pipc_offer "" "$cur"
		return
	fi
	_pipc_ask operand "$cmd"
	what=${_pipc_out[0]-}
	case $what in
	command) ((npos == 0)) && _pipc_ask commands && _pipc_offer "" "$cur" ;;
	kind) ((npos == 0)) && _pipc_value kind "$cur" "" ;;
	'object '*) ((npos == 0)) && _pipc_objects "${what#object }" "$cur" ;;
	object)
		[[ $ty =~ $_pipc_kinds ]] || ty=
		_pipc_objects "$ty" "$cur"
		;;
	esac
}

complete -F _pipc pipc $(pipc __complete links 2>/dev/null)

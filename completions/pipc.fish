# fish completion for pipc(1). Every list (commands, options, columns,
# object names) comes from `pipc __complete`, so it cannot drift from the
# binary; only the kind of object each command takes is written here.

# The values of -o: a comma list, maybe after '+' or "--output=";
# complete its last item and keep what comes before.
function __pipc_columns -a bin cur
    set -l pre (string match -r -- '^.*[,+=]' "$cur")
    set -l last (string replace -r -- '^.*[,+=]' '' "$cur")
    for col in ($bin __complete columns 2>/dev/null)
        string match -qr -- '[a-z]' $last; and set col (string lower -- $col)
        echo "$pre$col"
    end
end

# Objects of kind $kind (empty: every kind), or of a shm:, sem: or mq:
# prefix; as '/name' when the word starts with '/'.
function __pipc_objects -a bin kind cur
    set -l pre (string match -r -- '^(shm|sem|mq):' "$cur")[1]
    if test -n "$pre"
        set kind (string replace ':' '' -- $pre)
        set cur (string replace -- $pre '' "$cur")
    end
    test -n "$kind"; or set kind
    for name in (env $__pipc_env $bin __complete objects $kind 2>/dev/null)
        string match -q -- '/*' "$cur"; or set name (string sub -s 2 -- $name)
        echo "$pre$name"
    end
end

function __pipc_complete
    set -l tokens (commandline -opc)
    set -l cur (commandline -ct)
    set -l bin $tokens[1]
    set -l base (string replace -r -- '.*/' '' $bin)
    set -l cmd
    set -l ty
    set -l npos 0
    set -g __pipc_env
    # Run as pipc-NAME it is that command; ask pipc itself for the lists.
    if string match -q -- 'pipc-*' $base
        set cmd (string replace -- pipc- '' $base)
        set bin (string replace -r -- '-[^-/]*$' '' $bin)
    end
    set -l i 2
    while test $i -le (count $tokens)
        set -l w $tokens[$i]
        set -l arg (string replace -r -- '^[^=]*=' '' $w)
        switch $w
            case '--*=*'
                set w (string replace -r -- '=.*' '' $w)
            case --shm-dir --mqueue-dir -t --type -o --output
                set i (math $i + 1)
                test $i -le (count $tokens); or break
                set arg $tokens[$i]
            case '-*'
            case '*'
                if test -z "$cmd"
                    set cmd $w
                else
                    set npos (math $npos + 1)
                end
        end
        switch $w
            case --shm-dir
                set -a __pipc_env PIPC_SHM_DIR=$arg
            case --mqueue-dir
                set -a __pipc_env PIPC_MQUEUE_DIR=$arg
            case -t --type
                set ty $arg
        end
        set i (math $i + 1)
    end

    set -l prev
    test (count $tokens) -gt 1; and set prev $tokens[-1]
    switch "$prev"
        case -t --type
            printf '%s\n' shm sem mq
            return
        case -o --output
            __pipc_columns $bin "$cur"
            return
        case --shm-dir --mqueue-dir
            __fish_complete_directories "$cur"
            return
    end
    switch "$cur"
        case '--output=*'
            __pipc_columns $bin "$cur"
            return
        case '--type=*'
            printf -- '--type=%s\n' shm sem mq
            return
    end

    if test -z "$cmd"
        if string match -q -- '-*' "$cur"
            printf -- '%s\n' --version -V --help -h
        else
            echo help
            $bin __complete commands 2>/dev/null
        end
        return
    end
    if string match -q -- '-*' "$cur"; and test $cmd != help
        $bin __complete options $cmd 2>/dev/null
        return
    end

    # What a command's operands name: the one place kinds are written down.
    switch $cmd
        case help
            test $npos -eq 0; and $bin __complete commands 2>/dev/null
        case create
            test $npos -eq 0; and printf '%s\n' shm sem mq
        case map
            test $npos -eq 0; and __pipc_objects $bin shm "$cur"
        case lock unlock
            test $npos -eq 0; and __pipc_objects $bin sem "$cur"
        case send recv
            test $npos -eq 0; and __pipc_objects $bin mq "$cur"
        case rm ls gc
            contains -- "$ty" shm sem mq; or set ty ''
            __pipc_objects $bin "$ty" "$cur"
        case atomics
    end
end

for c in pipc pipc-atomics pipc-create pipc-gc pipc-lock pipc-ls pipc-map \
    pipc-recv pipc-rm pipc-send pipc-unlock
    complete -c $c -f -a '(__pipc_complete)'
end

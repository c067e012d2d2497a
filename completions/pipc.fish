# fish completion for pipc(1). Every list (commands and their link names,
# options and what their arguments are, kinds, columns, object names, what
# a command's operand names) comes from `pipc __complete`, so it cannot
# drift from the binary: no such list is written here.

# The options of a command (pipc's own before one), as SPELLING<TAB>WHAT.
function __pipc_options -a bin cmd
    test "$cmd" = help; and return
    $bin __complete options $cmd 2>/dev/null
end

# What an option's argument is (empty: it takes none), from __pipc_table.
function __pipc_argof -a opt
    set -l o (string replace -r -- '=.*' '' "$opt")
    for line in $__pipc_table
        set -l f (string split \t -- $line)
        if test "$f[1]" = "$o"
            echo $f[2]
            return
        end
    end
end

# Values of an argument of kind $what completing $cur, each after $pre.
function __pipc_value -a bin what cur pre
    switch $what
        case kind
            for k in ($bin __complete kinds 2>/dev/null)
                echo "$pre$k"
            end
        case column
            # A comma list, maybe after '+': complete its last item.
            set -l head (string match -r -- '^.*[,+]' "$cur")
            set -l last (string replace -r -- '^.*[,+]' '' "$cur")
            for col in ($bin __complete columns 2>/dev/null)
                string match -qr -- '[a-z]' $last; and set col (string lower -- $col)
                echo "$pre$head$col"
            end
        case dir
            for d in (__fish_complete_directories "$cur")
                echo "$pre$d"
            end
        case file
            for f in (__fish_complete_path "$cur")
                echo "$pre$f"
            end
        case user
            __fish_complete_users
    end
end

# Objects of kind $kind (empty: every kind), or of a KIND: prefix; as
# '/name' when the word starts with '/'.
function __pipc_objects -a bin kind cur
    set -l kinds ($bin __complete kinds 2>/dev/null)
    set -l pre (string match -r -- '^('(string join '|' $kinds)'):' "$cur")[1]
    if test -n "$pre"
        set kind (string replace ':' '' -- $pre)
        set cur (string replace -- $pre '' "$cur")
    end
    test -n "$kind"; or set kind
    for name in ($bin __complete objects $kind $__pipc_dirs 2>/dev/null)
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
    set -l what
    set -l npos 0
    set -g __pipc_dirs
    # Run as pipc-NAME it is that command; ask pipc itself for the lists.
    if string match -q -- 'pipc-*' $base
        set cmd (string replace -- pipc- '' $base)
        set bin (string replace -r -- '-[^-/]*$' '' $bin)
    end
    set -g __pipc_table (__pipc_options $bin $cmd)
    set -l i 2
    while test $i -le (count $tokens)
        set -l w $tokens[$i]
        set -l arg
        set what (__pipc_argof $w)
        if test -n "$what"
            if string match -q -- '--*=*' $w
                set arg (string replace -r -- '^[^=]*=' '' $w)
                set w (string replace -r -- '=.*' '' $w)
            else
                set i (math $i + 1)
                test $i -le (count $tokens); or break
                set arg $tokens[$i]
            end
        end
        switch "$what"
            case dir
                set -a __pipc_dirs "$w=$arg"
            case kind
                set ty $arg
            case ''
                if not string match -q -- '-*' $w
                    if test -z "$cmd"
                        set cmd $w
                        set -g __pipc_table (__pipc_options $bin $cmd)
                    else
                        set npos (math $npos + 1)
                    end
                end
        end
        set i (math $i + 1)
    end

    set -l prev
    test (count $tokens) -gt 1; and set prev $tokens[-1]
    set what (__pipc_argof "$prev")
    if test -n "$what"; and not string match -q -- '--*=*' "$prev"
        __pipc_value $bin $what "$cur" ''
        return
    end
    if string match -q -- '--*=*' "$cur"
        set what (__pipc_argof "$cur")
        test -n "$what"; and __pipc_value $bin $what \
            (string replace -r -- '^[^=]*=' '' "$cur") \
            (string replace -r -- '=.*' '=' "$cur")
        return
    end
    if string match -q -- '-*' "$cur"; and test "$cmd" != help
        for line in $__pipc_table
            string split -f1 \t -- $line
        end
        return
    end
    if test -z "$cmd"
        echo help
        $bin __complete commands 2>/dev/null
        return
    end
    set what ($bin __complete operand $cmd 2>/dev/null)
    switch "$what"
        case command
            test $npos -eq 0; and $bin __complete commands 2>/dev/null
        case kind
            test $npos -eq 0; and __pipc_value $bin kind "$cur" ''
        case 'object *'
            test $npos -eq 0; and __pipc_objects $bin (string replace 'object ' '' -- $what) "$cur"
        case object
            contains -- "$ty" ($bin __complete kinds 2>/dev/null); or set ty ''
            __pipc_objects $bin "$ty" "$cur"
    end
end

for c in pipc (pipc __complete links 2>/dev/null)
    complete -c $c -f -a '(__pipc_complete)'
end

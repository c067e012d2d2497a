# Drop the paragraph macros scdoc emits where they do nothing (right after
# a heading, before a heading or another .P, at the end of an indented
# block), so that `mandoc -T lint -W warning` reports only real problems.
{ l[NR] = $0 }
END {
	for (i = 1; i < NR; i++)
		if (l[i] == ".P" && l[i + 1] == ".RE") {
			l[i] = ".RE"
			l[i + 1] = ".P"
		}
	for (i = 1; i <= NR; i++)
		if (l[i] != ".P" || (l[i - 1] !~ /^\.S[HS] / &&
		    l[i + 1] !~ /^\.(S[HS] |P$)/ && i < NR))
			print l[i]
}

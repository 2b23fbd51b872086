# SPDX-License-Identifier: GPL-3.0-or-later
# bash completion for natsh.  The candidates come from natsh itself
# (`natsh --complete WORDS...`, the same grammar walk as the shell's Tab),
# so this file never needs to learn a command.  A line "@files" asks for
# file names.

_natsh()
{
	# natsh splits words at blanks only ("192.0.2.1:80" is one word), so
	# split the line up to the cursor here rather than trust COMP_WORDS
	local line=${COMP_LINE:0:COMP_POINT}
	local -a words
	read -ra words <<<"$line"
	[[ -z $line || $line =~ [[:space:]]$ ]] && words+=("")
	local cur=${words[${#words[@]}-1]}
	local prog=${words[0]:-natsh}

	local out c f files=0
	local -a cands=()
	out=$("$prog" --complete "${words[@]:1}" 2>/dev/null) || return 0
	while IFS= read -r c; do
		if [[ $c == @files ]]; then
			files=1
		elif [[ -n $c && $c == "$cur"* ]]; then
			cands+=("$c")
		fi
	done <<<"$out"
	if [[ $files == 1 ]]; then
		compopt -o filenames 2>/dev/null
		while IFS= read -r f; do
			cands+=("$f")
		done < <(compgen -f -- "$cur")
	fi

	# bash replaces only its own current word, which starts after the last
	# character of COMP_WORDBREAKS (':' '=' ...): drop what comes before it
	local bword=${COMP_WORDS[COMP_CWORD]}
	local pre=${cur%"$bword"}
	[[ $cur == *"$bword" ]] || pre=
	COMPREPLY=()
	for c in "${cands[@]}"; do
		[[ $c == "$pre"* ]] && COMPREPLY+=("${c#"$pre"}")
	done
	return 0
}
complete -F _natsh natsh

# SPDX-License-Identifier: GPL-3.0-or-later
# bash completion for natsh.  The candidates come from natsh itself
# (`natsh --complete WORDS...`, the same grammar walk as the shell's Tab),
# so this file never needs to learn a command.  A first line "@files" asks
# for file names.

_natsh()
{
	local cur cword words
	if declare -F _get_comp_words_by_ref >/dev/null 2>&1; then
		# keep "192.0.2.1:80" and "--netns=x" in one word
		_get_comp_words_by_ref -n =: cur words cword
	else
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
		cur=${COMP_WORDS[COMP_CWORD]}
	fi

	local prog=${words[0]:-natsh} out line files=0
	local -a cands=()
	out=$("$prog" --complete "${words[@]:1:cword}" 2>/dev/null) || return 0
	while IFS= read -r line; do
		if [[ $line == @files ]]; then
			files=1
		elif [[ -n $line ]]; then
			cands+=("$line")
		fi
	done <<<"$out"

	COMPREPLY=()
	local c
	for c in "${cands[@]}"; do
		[[ $c == "$cur"* ]] && COMPREPLY+=("$c")
	done
	if [[ $files == 1 ]]; then
		compopt -o filenames 2>/dev/null
		local f
		while IFS= read -r f; do
			COMPREPLY+=("$f")
		done < <(compgen -f -- "$cur")
	fi
	if declare -F __ltrim_colon_completions >/dev/null 2>&1; then
		__ltrim_colon_completions "$cur"
	fi
	return 0
}
complete -F _natsh natsh

# bash completion for tsbox: options, scheduler names, .lua scripts, and
# .json reports for `tsbox merge`. Installed as
# share/bash-completion/completions/tsbox; needs nothing but bash.

_tsbox() {
  local cur prev i word script=0
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD - 1]}
  # --opt=value: bash splits the word at '='.
  if [[ $cur == = ]]; then cur=""
  elif [[ $prev == = && $COMP_CWORD -ge 2 ]]; then prev=${COMP_WORDS[COMP_CWORD - 2]}
  fi
  local valued="-e -l -s --seed --sched --quantum --switch-interval --replay -n --runs -j --jobs
    --json --shard --depth --preemptions --timeline --timeout --max-steps --max-threads --max-memory"
  local flags="-i -E -W --stop-on-failure --no-reduction --trace --race --explain --minimize -q --quiet -v --verbose
    -h --help -V --version"
  COMPREPLY=()

  if [[ ${COMP_WORDS[1]} == merge && $COMP_CWORD -ge 2 ]]; then
    if [[ $prev != --json && $cur == -* ]]; then
      mapfile -t COMPREPLY < <(compgen -W "--json" -- "$cur")
    else
      mapfile -t COMPREPLY < <(compgen -f -X '!*.json' -- "$cur"; compgen -d -- "$cur")
    fi
    return 0
  fi

  case $prev in
    --sched)
      mapfile -t COMPREPLY < <(compgen -W "random pct pos dfs rr os" -- "$cur")
      return 0 ;;
    --timeline)
      mapfile -t COMPREPLY < <(compgen -f -X '!*.html' -- "$cur"; compgen -f -X '!*.json' -- "$cur"
                               compgen -d -- "$cur")
      return 0 ;;
    --json)
      mapfile -t COMPREPLY < <(compgen -f -X '!*.json' -- "$cur"; compgen -d -- "$cur")
      return 0 ;;
    -e|-s|--seed|--quantum|--switch-interval|--replay|-n|--runs|-j|--jobs|--shard|--depth|\
    --preemptions|--timeout|--max-steps|--max-threads|--max-memory)
      return 0 ;;
  esac

  # Once the script (or -e code) is named, the rest are the script's arguments.
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=${COMP_WORDS[i]}
    if [[ $word == = ]]; then i=$((i + 1)); continue; fi
    if [[ " $valued " == *[[:space:]]"$word"[[:space:]]* ]]; then
      [[ $word == -e ]] && script=1
      [[ ${COMP_WORDS[i + 1]} == = ]] || i=$((i + 1))
      continue
    fi
    [[ $word == -* ]] || script=1
  done
  if ((script)); then
    mapfile -t COMPREPLY < <(compgen -f -- "$cur")
    return 0
  fi
  if [[ $cur == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$valued $flags" -- "$cur")
  else
    mapfile -t COMPREPLY < <(compgen -f -X '!*.lua' -- "$cur"; compgen -d -- "$cur"
                             [[ $COMP_CWORD == 1 ]] && compgen -W merge -- "$cur")
  fi
  return 0
}
complete -o filenames -F _tsbox tsbox

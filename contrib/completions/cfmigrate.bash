# bash completion for cfmigrate. Installed to share/bash-completion/completions/cfmigrate.
# tests/integration/test_completion.cpp checks that every option `cfmigrate CMD --help` lists is here.

_cfmigrate()
{
  local cur prev words cword
  _init_completion || return

  local commands="apply finalize plan recipes report rollback scan show status"
  local command="" i
  for ((i = 1; i < cword; i++)); do
    case "${words[i]}" in
      -*) ;;
      *) command="${words[i]}"; break ;;
    esac
  done
  if [[ -z "$command" ]]; then
    COMPREPLY=($(compgen -W "$commands --help" -- "$cur"))
    return
  fi

  case "$prev" in
    --root|--state-dir|--recipes)
      _filedir -d; return ;;
    --ca-file|--from-scan|--out|--output|-o)
      _filedir; return ;;
    --format)
      case "$command" in
        scan) COMPREPLY=($(compgen -W "human json sarif" -- "$cur")) ;;
        *) COMPREPLY=($(compgen -W "human json" -- "$cur")) ;;
      esac
      return ;;
    --group-by)
      COMPREPLY=($(compgen -W "file program host" -- "$cur")); return ;;
    --exclude|--max-file-size|--threads|--host-name|--zone|--allow-ip|--expires|--api-base|--rate-limit|--post-hook|--verify-timeout)
      return ;;
  esac

  local options
  case "$command" in
    scan) options="--help --root --format --exclude --max-file-size --threads --recipes --host-name --output" ;;
    plan) options="--help --root --from-scan --out --state-dir --format --exclude --zone --group-by --allow-ip --expires --host-name --recipes --api-base --ca-file --rate-limit" ;;
    apply) options="--help --state-dir --host-name --root --yes --api-base --ca-file --rate-limit --dry-run --resume --no-rollback --trust-plan --post-hook --verify-timeout --recipes" ;;
    rollback) options="--help --state-dir --host-name --root --yes --api-base --ca-file --rate-limit --last --force --recipes" ;;
    status) options="--help --state-dir --format" ;;
    finalize) options="--help --state-dir --root --recipes" ;;
    report) options="--help --format --host-from-dir --output" ;;
    recipes) options="--help --recipes" ;;
    show) options="--help" ;;
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$options" -- "$cur"))
  else
    _filedir
  fi
} && complete -F _cfmigrate cfmigrate

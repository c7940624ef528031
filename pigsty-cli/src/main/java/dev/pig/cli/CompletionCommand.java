package dev.pig.cli;

import java.util.concurrent.Callable;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code pig completion bash|zsh}: a completion script for the shell. Commands and options come
 * from picocli's generated script; cluster names and hosts come from the inventory named with
 * {@code -i} (or pigsty.yml), asked at completion time from {@code pig __complete}.
 */
@Command(name = "completion", description = "Print a shell completion script: "
        + "source <(pig completion bash), or add that line to ~/.bashrc (~/.zshrc for zsh).")
public final class CompletionCommand implements Callable<Integer> {
    /** The shells a script is written for. */
    enum Shell { bash, zsh }

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    @Override
    public Integer call() {
        CommandLine root = spec.root().commandLine();
        String script = AutoComplete.bash("pig", root);
        StringBuilder b = new StringBuilder();
        if (shell == Shell.zsh) {
            b.append("# zsh runs this through bashcompinit\n");
        }
        b.append(script).append('\n').append(DYNAMIC);
        spec.commandLine().getOut().print(b);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }

    /**
     * Wraps picocli's completion function: a limit ({@code -l}) completes to the inventory's
     * clusters, groups and hosts; the first argument of a pgsql verb to its PostgreSQL clusters,
     * of a redis verb to its Redis clusters; the IP arguments of etcd, pgsql add/rm and redis
     * add/rm to its hosts. Everything else is picocli's.
     */
    static final String DYNAMIC = """
            # clusters and hosts come from the inventory given with -i (pigsty.yml by default)
            _pig_inventory_words() {
              local inv=pigsty.yml i
              for ((i = 1; i < COMP_CWORD; i++)); do
                case "${COMP_WORDS[i]}" in -i|--inventory) inv="${COMP_WORDS[i+1]}" ;; esac
              done
              pig __complete "$1" -i "$inv" 2>/dev/null
            }
            _pig_dynamic() {
              local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" i n=0 w
              case "$prev" in
                -l|--limit) COMPREPLY=( $(compgen -W "$(_pig_inventory_words targets)" -- "$cur") ); return 0 ;;
                -i|--inventory) COMPREPLY=( $(compgen -f -- "$cur") ); return 0 ;;
              esac
              if [[ "$cur" != -* ]]; then
                # the position among arguments, not counting options and the values they take
                for ((i = 1; i < COMP_CWORD; i++)); do
                  w="${COMP_WORDS[i]}"
                  case "$w" in
                    -i|--inventory|-e|--extra-vars|-l|--limit|-t|--tags|-o|--output|-c|--conf|-v|--version|--forks|--time|--lsn|--xid|--name) ((i++)) ;;
                    -*) ;;
                    *) ((n++)) ;;
                  esac
                done
                case "${COMP_WORDS[1]} $n" in
                  "pgsql 2") COMPREPLY=( $(compgen -W "$(_pig_inventory_words clusters)" -- "$cur") ); return 0 ;;
                  "redis 2") COMPREPLY=( $(compgen -W "$(_pig_inventory_words redis)" -- "$cur") ); return 0 ;;
                  "inventory 2") [[ "${COMP_WORDS[2]}" == show ]] && { COMPREPLY=( $(compgen -W "$(_pig_inventory_words targets)" -- "$cur") ); return 0; } ;;
                  "node 2") COMPREPLY=( $(compgen -W "$(_pig_inventory_words targets)" -- "$cur") ); return 0 ;;
                esac
                if [[ "${COMP_WORDS[1]}" == etcd && $n -ge 2 ]] || [[ "${COMP_WORDS[1]}" =~ ^(pgsql|redis)$ && $n -ge 3 ]]; then
                  COMPREPLY=( $(compgen -W "$(_pig_inventory_words hosts)" -- "$cur") ); return 0
                fi
              fi
              _complete_pig "$@"
            }
            complete -F _pig_dynamic -o default pig
            """;
}

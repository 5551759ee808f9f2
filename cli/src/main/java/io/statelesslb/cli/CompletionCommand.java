package io.statelesslb.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code slb completion bash|zsh}: the shell completion script, from the same model as the commands. */
@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        header = "Print the shell completion script for bash or zsh.",
        description = {"Print a script that completes slb's commands and options. The release installs it; to load"
                + " it by hand:"},
        footer = {"  source <(slb completion bash)                    # bash, this shell",
                "  slb completion zsh > \"${fpath[1]}/_slb\"          # zsh, from the next shell on"})
final class CompletionCommand implements Callable<Integer> {

    /** The shells the script is for. */
    enum Shell { bash, zsh }

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String script = AutoComplete.bash("slb", spec.root().commandLine());
        if (shell == Shell.zsh) {
            // The bash script runs in zsh through zsh's own bash completion layer.
            out.println("#compdef slb");
            out.println("autoload -U +X compinit && compinit");
            out.println("autoload -U +X bashcompinit && bashcompinit");
        }
        out.print(script);
        out.flush();
        return 0;
    }
}

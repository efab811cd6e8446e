package io.uffdgc.bench;

import io.uffdgc.bench.alloc.AllocCommand;
import io.uffdgc.bench.compaction.CompactionCommand;
import io.uffdgc.bench.compaction.ObserveCostCommand;
import io.uffdgc.bench.compaction.SweepCommand;
import io.uffdgc.bench.dense.DenseCommand;
import io.uffdgc.bench.pause.MarkCommand;
import io.uffdgc.bench.peers.PeersCommand;
import io.uffdgc.bench.replay.ReplayCommand;
import io.uffdgc.bench.store.StoreCommand;
import picocli.CommandLine;

/** Entry point of scripts/bench: the compaction benchmark and its companions. */
public final class BenchMain {
    private BenchMain() {}

    /**
     * A bad option value is the user's mistake: one line naming it, no stack trace. This
     * one is found when the run checks its configuration; {@link #badOption} when parsing.
     */
    private static int badInput(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) throws Exception {
        if (!(e instanceof IllegalArgumentException)) throw e;
        cmd.getErr().println("bench: " + e.getMessage());
        return seeHelp(cmd);
    }

    /** An unknown option or a value picocli or its converters (OptionTypes) reject: one line too, not the usage. */
    private static int badOption(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        cmd.getErr().println("bench: " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, cmd.getErr());
        return seeHelp(cmd);
    }

    private static int seeHelp(CommandLine cmd) {
        cmd.getErr().println("(see: scripts/bench " + (cmd.getCommandName().equals("bench") ? "" : cmd.getCommandName() + " ")
                + "--help)");
        return 2;
    }

    public static void main(String[] args) {
        int rc = new CommandLine(new CompactionCommand())
                .addSubcommand(new SweepCommand())
                .addSubcommand(new AllocCommand())
                .addSubcommand(new PeersCommand())
                .addSubcommand(new MarkCommand())
                .addSubcommand(new DenseCommand())
                .addSubcommand(new ReplayCommand())
                .addSubcommand(new StoreCommand())
                .addSubcommand(new ObserveCostCommand())
                .setParameterExceptionHandler(BenchMain::badOption)
                .setExecutionExceptionHandler(BenchMain::badInput)
                .execute(args);
        System.exit(rc);
    }
}

package io.uffdgc.bench;

import io.uffdgc.bench.alloc.AllocCommand;
import io.uffdgc.bench.compaction.CompactionCommand;
import picocli.CommandLine;

/** Entry point of scripts/bench: the compaction benchmark and its companions. */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) {
        int rc = new CommandLine(new CompactionCommand())
                .addSubcommand(new AllocCommand())
                .execute(args);
        System.exit(rc);
    }
}

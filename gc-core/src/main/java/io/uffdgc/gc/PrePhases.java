package io.uffdgc.gc;

import java.util.List;

/**
 * What a cycle's steps before the compaction window cost (nanoseconds; the times are
 * System.nanoTime() stamps).
 *
 * @param start                when the cycle began
 * @param flipStart            when the flip pause was requested
 * @param flipTimeToSafepoint  the flip pause's wait for the mutators
 * @param mark                 marking (concurrent, or inside the flip pause)
 * @param plan                 planning (concurrent, or inside the flip pause)
 * @param flip                 the flip's own work inside its pause (concurrent marking: with the tail's plan)
 * @param resumed              when the mutators resumed after the flip
 * @param pauses               every pause, in order
 */
record PrePhases(long start, long flipStart, long flipTimeToSafepoint, long mark, long plan, long flip, long resumed,
                 List<CyclePause> pauses) {}

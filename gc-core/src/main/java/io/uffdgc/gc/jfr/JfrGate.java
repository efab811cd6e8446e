package io.uffdgc.gc.jfr;

import jdk.jfr.FlightRecorder;

/**
 * Whether this collector makes JFR events at all: only once the JVM's flight recorder is
 * initialized (-XX:StartFlightRecording, {@code jcmd <pid> JFR.start}, or a Recording
 * started in the process); a recording started later opens the gate from then on.
 *
 * <p>Why not just {@code shouldCommit()}: loading the first event class registers it with the
 * recorder, which then builds its whole metadata repository, a one-time burst of class
 * generation on the cycle's thread, and the pause events are made inside pauses. In a child
 * JVM that calls System.gc() in a loop that burst took over 90 s of the first cycle
 * (JvmSafepointTest). Behind the gate, with nothing recording, no event class is loaded.
 */
public final class JfrGate {
    private JfrGate() {}

    /** True once the flight recorder is initialized: events may be recorded. */
    public static boolean open() { return FlightRecorder.isInitialized(); }
}

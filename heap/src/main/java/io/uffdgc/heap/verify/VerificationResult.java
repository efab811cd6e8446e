package io.uffdgc.heap.verify;

/**
 * What a successful verification saw.
 *
 * @param objects         objects (not fillers) in [start, top)
 * @param objectBytes     their bytes
 * @param fillerBytes     bytes of dead space kept parseable by fillers
 * @param reachableObjects objects reachable from the root table
 * @param reachableBytes  their bytes
 * @param roots           non-null root slots
 */
public record VerificationResult(long objects, long objectBytes, long fillerBytes, long reachableObjects,
                                 long reachableBytes, long roots) {}

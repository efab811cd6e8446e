package io.uffdgc.store;

import org.agrona.DirectBuffer;

/**
 * A key as the index sees it: length bytes of one array from offset, and their hash. Keys
 * given as buffers are copied into this object's own array first (keys are short; hashing
 * and comparing then run over one array).
 */
final class KeyBytes {
    byte[] bytes;
    int offset, length, hash;
    private byte[] own = new byte[64];

    KeyBytes of(byte[] b, int off, int len) {
        bytes = b;
        offset = off;
        length = len;
        hash = KeyHash.hash(b, off, len);
        return this;
    }

    KeyBytes copyOf(DirectBuffer b, int off, int len) {
        if (own.length < len) own = new byte[Math.max(len, own.length * 2)];
        b.getBytes(off, own, 0, len);
        return of(own, 0, len);
    }

    KeyBytes copyOf(java.nio.ByteBuffer b) {
        int len = b.remaining();
        if (own.length < len) own = new byte[Math.max(len, own.length * 2)];
        b.get(b.position(), own, 0, len);
        return of(own, 0, len);
    }
}

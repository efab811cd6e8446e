package io.uffdgc.bench.compaction;

/** "256m", "1g", "4096k", "123" (bytes) to bytes, and back. */
public final class Sizes {
    private Sizes() {}

    public static long parse(String s) {
        String t = s.trim().toLowerCase();
        long mul = switch (t.isEmpty() ? ' ' : t.charAt(t.length() - 1)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            default -> 1;
        };
        String num = mul == 1 ? t : t.substring(0, t.length() - 1);
        try {
            long v = Long.parseLong(num) * mul;
            if (v <= 0) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a size: '" + s + "' (use e.g. 256m, 1g)");
        }
    }

    /** The shortest string {@link #parse} reads back as bytes: 1g, 512m, 1536k, 123. */
    public static String format(long bytes) {
        for (int shift = 30; shift > 0; shift -= 10)
            if (bytes % (1L << shift) == 0) return (bytes >> shift) + "kmg".substring(shift / 10 - 1, shift / 10);
        return Long.toString(bytes);
    }
}

package io.uffdgc.uffd;

import static org.junit.jupiter.api.Assertions.*;

import io.uffdgc.uffd.gen.Uffdgc;
import io.uffdgc.uffd.gen.testing.UffdgcTesting;
import io.uffdgc.uffd.gen.ugc_gc_stats;
import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.PaddingLayout;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The generated bindings agree with the C compiler: for every struct jextract generated,
 * its size and every field offset the C library reports (ugc_abi.c), and every ioctl
 * number and constant the Java side uses.
 */
class AbiTest {
    private static final String GEN = "io.uffdgc.uffd.gen";
    /** Kernel structs jextract sees through the headers that uffdgc never passes to C. */
    private static final Set<String> UNUSED = Set.of("__fsid_t", "__kernel_fd_set", "__kernel_fsid_t",
            "uffdio_continue", "uffdio_writeprotect");

    @BeforeAll
    static void load() { NativeLibrary.load(); }

    /** Every generated class with a static layout(): one per C struct. */
    private static List<Class<?>> generatedStructs() throws Exception {
        Path dir = Path.of(Uffdgc.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve(GEN.replace('.', '/'));
        List<Class<?>> structs = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.sorted().toList()) {
                String file = p.getFileName().toString();
                if (!file.endsWith(".class") || file.contains("$")) continue;
                Class<?> c = Class.forName(GEN + "." + file.replace(".class", ""));
                try {
                    if (c.getMethod("layout").getReturnType() == GroupLayout.class) structs.add(c);
                } catch (NoSuchMethodException notAStruct) { /* Uffdgc itself, function pointer types */ }
            }
        }
        return structs;
    }

    private static long cSizeof(String type) {
        try (Arena a = Arena.ofConfined()) { return Uffdgc.ugc_abi_sizeof(a.allocateFrom(type)); }
    }

    private static long cOffsetof(String type, String field) {
        try (Arena a = Arena.ofConfined()) { return Uffdgc.ugc_abi_offsetof(a.allocateFrom(type), a.allocateFrom(field)); }
    }

    private static long cConstant(String name) {
        try (Arena a = Arena.ofConfined()) { return Uffdgc.ugc_abi_constant(a.allocateFrom(name)); }
    }

    /** "arg.pagefault.address" -> offset, for every named leaf and group below layout. */
    private static void fields(GroupLayout layout, String prefix, long base, List<Object[]> out) {
        for (MemoryLayout m : layout.memberLayouts()) {
            if (m instanceof PaddingLayout || m.name().isEmpty()) continue;
            String name = prefix + m.name().get();
            long off = base + layout.byteOffset(MemoryLayout.PathElement.groupElement(m.name().get()));
            out.add(new Object[] {name, off});
            if (m instanceof GroupLayout g) fields(g, name + ".", off, out);
        }
    }

    @Test
    void everyGeneratedStructHasTheCompilersSizeAndOffsets() throws Exception {
        List<String> checked = new ArrayList<>();
        Set<String> notInCTable = new TreeSet<>();
        int offsetsCompared = 0;
        for (Class<?> c : generatedStructs()) {
            String type = c.getSimpleName();
            if (UNUSED.contains(type)) continue;
            GroupLayout layout = (GroupLayout) c.getMethod("layout").invoke(null);
            long size = cSizeof(type);
            assertNotEquals(-1, size, type + " is generated but ugc_abi.c does not report its size: add it there");
            assertEquals(size, layout.byteSize(), "sizeof(" + type + ")");
            List<Object[]> fields = new ArrayList<>();
            fields(layout, "", 0, fields);
            for (Object[] f : fields) {
                long cOff = cOffsetof(type, (String) f[0]);
                if (cOff == -1) {
                    notInCTable.add(type + "." + f[0]);
                    continue;
                }
                assertEquals(cOff, (long) f[1], "offsetof(" + type + ", " + f[0] + ")");
                offsetsCompared++;
            }
            checked.add(type);
        }
        assertTrue(checked.containsAll(List.of("uffdio_api", "uffdio_range", "uffdio_register", "uffdio_copy",
                "uffdio_zeropage", "uffdio_move", "uffd_msg", "ugc_counters", "ugc_worker", "ugc_service_stats",
                "ugc_copy_source")), checked.toString());
        // Every field Java can reach must be checked: a field missing from the C table is a gap in the contract.
        assertTrue(notInCTable.isEmpty(), "generated fields that ugc_abi.c does not report (add them there): " + notInCTable);
        assertTrue(offsetsCompared >= 100, "only " + offsetsCompared + " offsets compared");
    }

    @Test
    void everyConstantAndIoctlNumberMatches() throws Exception {
        List<String> names = List.of("UFFD_API", "UFFDIO_API", "UFFDIO_REGISTER", "UFFDIO_UNREGISTER", "UFFDIO_WAKE",
                "UFFDIO_COPY", "UFFDIO_ZEROPAGE", "UFFDIO_MOVE", "UFFD_FEATURE_MOVE", "UFFDIO_REGISTER_MODE_MISSING",
                "UFFDIO_REGISTER_MODE_WP", "UFFDIO_MOVE_MODE_DONTWAKE", "UFFDIO_MOVE_MODE_ALLOW_SRC_HOLES",
                "UFFDIO_COPY_MODE_DONTWAKE", "UFFDIO_ZEROPAGE_MODE_DONTWAKE", "UFFD_EVENT_PAGEFAULT",
                "UFFD_PAGEFAULT_FLAG_WRITE", "UFFD_USER_MODE_ONLY", "_UFFDIO_MOVE", "UGC_O_CLOEXEC", "UGC_O_NONBLOCK");
        for (String name : names) {
            long c = cConstant(name);
            assertNotEquals(-1, c, name + " unknown to ugc_abi.c");
            Method m = Uffdgc.class.getMethod(name);
            long java = ((Number) m.invoke(null)).longValue();
            assertEquals(c, java, name);
        }
        // The MOVE ABI as documented (UFFD-FACTS.md): _IOWR(0xAA, 0x05, 40-byte struct).
        assertEquals(0xC028AA05L, Uffdgc.UFFDIO_MOVE());
    }

    /**
     * UGC_GC_STATS declares the engine's counters once: the struct's leading fields and the
     * names ugc_gc_stat_name returns must be the same list, in the same order, each a long.
     */
    @Test
    void engineCounterNamesAreTheStructsLeadingFields() {
        int n = Uffdgc.ugc_gc_stat_count();
        List<MemoryLayout> members = ugc_gc_stats.layout().memberLayouts();
        assertTrue(n > 0 && n < members.size(), n + " counters, " + members.size() + " members");
        for (int i = 0; i < n; i++) {
            String name = Uffdgc.ugc_gc_stat_name(i).getString(0);
            MemoryLayout m = members.get(i);
            assertEquals(m.name().orElseThrow(), name, "counter " + i);
            assertEquals(Long.BYTES, m.byteSize(), name);
            assertEquals((long) i * Long.BYTES, ugc_gc_stats.layout().byteOffset(MemoryLayout.PathElement.groupElement(name)), name);
        }
        assertEquals(MemorySegment.NULL, Uffdgc.ugc_gc_stat_name(n), "past the last counter");
    }

    /** The suite runs against the library with its C preconditions compiled in (pom: uffdgc.native.variant). */
    @Test
    void testsLoadTheCheckedLibrary() {
        String variant = System.getProperty(NativeLibrary.VARIANT_PROPERTY, "");
        assertFalse(variant.isEmpty(), "surefire sets " + NativeLibrary.VARIANT_PROPERTY);
        assertEquals("libuffdgc-" + variant + ".so", NativeLibrary.fileName());
        assertEquals(1, UffdgcTesting.ugc_dcheck_enabled(), NativeLibrary.fileName() + " has no UGC_DCHECK compiled in");
    }
}

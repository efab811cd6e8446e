package io.uffdgc.uffd;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Loads libuffdgc.so, which the build compiles into this module's jar.
 *
 * <p>The build also compiles libuffdgc-dcheck.so, the same code with its C
 * preconditions ({@code UGC_DCHECK}, {@code ugc_dcheck.h}) checked, which the test suite
 * loads by setting the system property {@value #VARIANT_PROPERTY} to {@code dcheck};
 * {@code scripts/sanitize} builds and loads libuffdgc-sanitize.so (ASan and UBSan).
 *
 * <p>The generated bindings ({@code io.uffdgc.uffd.gen}) find their symbols with
 * {@code SymbolLookup.loaderLookup()}, which sees the libraries that classes of this
 * class loader have {@link System#load loaded}: so every entry point of this module
 * calls {@link #load()} before its first downcall. From a directory of classes the
 * library is loaded in place; from a jar it is first copied to a temporary file,
 * because {@code dlopen} needs a path.
 */
public final class NativeLibrary {
    /** System property naming the library variant: unset = libuffdgc.so, else libuffdgc-VARIANT.so. */
    public static final String VARIANT_PROPERTY = "uffdgc.native.variant";
    private static final String DIR = "/native/linux-x86_64/";
    private static volatile boolean loaded;

    private NativeLibrary() {}

    /** Loads the library once per class loader; later calls return at once. */
    public static void load() {
        if (loaded) return;
        synchronized (NativeLibrary.class) {
            if (loaded) return;
            String os = System.getProperty("os.name"), arch = System.getProperty("os.arch");
            if (!os.startsWith("Linux") || !(arch.equals("amd64") || arch.equals("x86_64")))
                throw new UnsupportedOperationException(
                        "uffdgc runs on Linux x86_64 only (userfaultfd); this is " + os + " " + arch);
            System.load(locate().toAbsolutePath().toString());
            loaded = true;
        }
    }

    /** The library file this JVM loads: libuffdgc.so, or the variant {@value #VARIANT_PROPERTY} names. */
    public static String fileName() {
        String v = System.getProperty(VARIANT_PROPERTY, "");
        if (!v.matches("[a-z]*"))
            throw new IllegalArgumentException(VARIANT_PROPERTY + "=" + v + ": expected dcheck, sanitize or nothing");
        return v.isEmpty() ? "libuffdgc.so" : "libuffdgc-" + v + ".so";
    }

    private static Path locate() {
        String resource = DIR + fileName();
        URL url = NativeLibrary.class.getResource(resource);
        if (url == null)
            throw new IllegalStateException(fileName() + " is missing from the classpath (" + resource
                    + "): build with scripts/test, which compiles it");
        try {
            if (url.getProtocol().equals("file")) return Path.of(url.toURI());
            Path tmp = Files.createTempFile("libuffdgc", ".so");
            tmp.toFile().deleteOnExit();
            try (InputStream in = url.openStream()) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            return tmp;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract " + fileName() + " from " + url, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("bad library location " + url, e);
        }
    }
}

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
 * <p>The generated bindings ({@code io.uffdgc.uffd.gen}) find their symbols with
 * {@code SymbolLookup.loaderLookup()}, which sees the libraries that classes of this
 * class loader have {@link System#load loaded}: so every entry point of this module
 * calls {@link #load()} before its first downcall. From a directory of classes the
 * library is loaded in place; from a jar it is first copied to a temporary file,
 * because {@code dlopen} needs a path.
 */
public final class NativeLibrary {
    static final String RESOURCE = "/native/linux-x86_64/libuffdgc.so";
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

    private static Path locate() {
        URL url = NativeLibrary.class.getResource(RESOURCE);
        if (url == null)
            throw new IllegalStateException("libuffdgc.so is missing from the classpath (" + RESOURCE
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
            throw new UncheckedIOException("cannot extract libuffdgc.so from " + url, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("bad library location " + url, e);
        }
    }
}

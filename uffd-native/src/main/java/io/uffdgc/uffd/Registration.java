package io.uffdgc.uffd;

import java.util.Set;

/**
 * A range registered with a userfaultfd and the ioctls the kernel allows on it.
 *
 * @param ioctls {@code uffdio_register.ioctls}, one bit per ioctl number
 */
public record Registration(long start, long len, Set<RegisterMode> modes, long ioctls) {
    public Registration {
        modes = Set.copyOf(modes);
    }

    public boolean allows(UffdFeatures.Ioctl ioctl) { return (ioctls & ioctl.bit) != 0; }

    @Override
    public String toString() {
        return "Registration" + Memory.range(start, len) + " modes=" + modes + " ioctls="
                + UffdFeatures.describeIoctls(ioctls);
    }
}

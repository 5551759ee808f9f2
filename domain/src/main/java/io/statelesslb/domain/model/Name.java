package io.statelesslb.domain.model;

import java.util.regex.Pattern;

/** The naming rule for every configuration object: 1 to 63 characters of {@code [A-Za-z0-9_+.-]}. */
public final class Name {

    /** Longest accepted name; nfqlb builds shared-memory names from these. */
    public static final int MAX_LENGTH = 63;

    /** Longest Linux interface name (IFNAMSIZ less the terminating NUL). */
    public static final int MAX_INTERFACE_LENGTH = 15;

    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9_+.-]+");

    private Name() {
    }

    /** @return whether {@code name} follows the naming rule */
    public static boolean isValid(String name) {
        return name != null && name.length() <= MAX_LENGTH && ALLOWED.matcher(name).matches();
    }

    /** @return whether {@code name} is a usable Linux interface name (or prefix of one) */
    public static boolean isValidInterface(String name) {
        return name != null && name.length() <= MAX_INTERFACE_LENGTH && ALLOWED.matcher(name).matches();
    }
}

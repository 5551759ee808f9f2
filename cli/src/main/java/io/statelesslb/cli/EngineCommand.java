package io.statelesslb.cli;

import io.statelesslb.engine.maglev.Maglev;
import io.statelesslb.engine.maglev.MaglevTable;
import io.statelesslb.engine.maglev.PermutationCache;
import io.statelesslb.engine.packet.KeyExtractor;
import io.statelesslb.engine.packet.KeyResult;
import io.statelesslb.engine.packet.PacketKey;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code slb engine}: the load-balancing engine's pieces on their own, to check them against nfqlb. */
@Command(
        name = "engine",
        mixinStandardHelpOptions = true,
        description = "Run the load-balancing engine's pieces on their own, to compare them with nfqlb.",
        subcommands = {EngineCommand.MaglevTableCommand.class, EngineCommand.KeyCommand.class})
final class EngineCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required: maglev or key");
    }

    /** {@code slb engine maglev}: a whole Maglev lookup table. */
    @Command(
            name = "maglev",
            mixinStandardHelpOptions = true,
            description = {"Build a Maglev lookup table as nfqlb does and print it: the effective (prime) M and, for"
                    + " each entry, the slot that owns it (-1 when no slot is active)."},
            footer = {"", "Examples:",
                    "  slb engine maglev --m 10000 --n 100 --active 43:5044,61:5062,68:5069,72:5073",
                    "  slb engine maglev --m 97 --n 5 --active 1:11,3:33 -o json"})
    static final class MaglevTableCommand implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--m", required = true, paramLabel = "M", description = "Requested table size (the largest"
                + " prime not above it is used).")
        int m;

        @Option(names = "--n", required = true, paramLabel = "N", description = "Number of slots.")
        int n;

        @Option(names = "--active", split = ",", paramLabel = "SLOT:FWMARK", description = "Active slots (0..N-1)"
                + " with their fwmarks, comma separated.")
        String[] active = new String[0];

        @Mixin
        Output output;

        /** The table as the golden vectors hold it: the prime M used, and each entry's slot (-1 for none). */
        record LookupTable(int effectiveM, int[] lookup) {
        }

        @Override
        public Integer call() {
            if (m < 1 || n < 1 || n > 65535 || (long) m * n > 400_000_000L) {
                throw new ParameterException(spec.commandLine(), "--m=" + m + " --n=" + n
                        + " (expected: M >= 1, 1 <= N <= 65535, M*N <= 400000000)");
            }
            int[] fwmarks = new int[n];
            for (String item : active) {
                String[] parts = item.split(":");
                int slot;
                int fwmark;
                try {
                    slot = Integer.parseInt(parts[0].strip());
                    fwmark = parts.length == 2 ? Integer.parseInt(parts[1].strip()) : -1;
                } catch (NumberFormatException e) {
                    slot = -1;
                    fwmark = -1;
                }
                if (parts.length != 2 || slot < 0 || slot >= n || fwmark <= 0) {
                    throw new ParameterException(spec.commandLine(), "--active " + item + " (expected: SLOT:FWMARK"
                            + " with SLOT in 0.." + (n - 1) + " and FWMARK > 0)");
                }
                fwmarks[slot] = fwmark;
            }
            Maglev maglev = new Maglev(m, n, new PermutationCache());
            maglev.setAll(fwmarks);
            MaglevTable table = maglev.view().table();
            PrintWriter out = spec.commandLine().getOut();
            int[] lookup = new int[table.size()];
            for (int i = 0; i < lookup.length; i++) {
                lookup[i] = table.entry(i);
            }
            output.print(out, new LookupTable(maglev.m(), lookup), text -> {
                text.println("Maglev: M=" + maglev.m() + ", N=" + n);
                text.println("Lookup: " + java.util.Arrays.stream(lookup).mapToObj(Integer::toString)
                        .collect(java.util.stream.Collectors.joining(" ")));
            });
            return 0;
        }
    }

    /** {@code slb engine key}: hash keys of raw packets. */
    @Command(
            name = "key",
            mixinStandardHelpOptions = true,
            description = {"Extract the hash key of raw IP packets as nfqlb does. Reads lines 'v4|v6 UDPENCAP HEX'"
                    + " (UDPENCAP 0 = none) and prints one JSON object per line, in the format of nfqlb's golden"
                    + " vectors: family, udpencap, packet, rc, and for rc >= 0 the 40-byte key, its hash, the"
                    + " address hash, and fragId for a first fragment."},
            footer = {"", "Example:",
                    "  echo 'v4 0 4500001c000100004001a3791433a714c0585bc70800ab5a4c930012'"
                            + " | slb engine key --batch -"})
    static final class KeyCommand implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--batch", required = true, paramLabel = "FILE", description = "Input lines, or - for"
                + " standard input.")
        String batch;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PacketKey key = new PacketKey();
            byte[] keyBytes = new byte[PacketKey.LENGTH];
            try (BufferedReader in = batch.equals("-")
                    ? new BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8))
                    : Files.newBufferedReader(Path.of(batch), StandardCharsets.UTF_8)) {
                String line;
                int number = 0;
                while ((line = in.readLine()) != null) {
                    number++;
                    String[] fields = line.strip().split("\\s+");
                    if (fields.length == 1 && fields[0].isEmpty()) {
                        continue;
                    }
                    byte[] packet;
                    int encapsulation;
                    try {
                        encapsulation = Integer.parseInt(fields[1]);
                        packet = HexFormat.of().parseHex(fields[2]);
                    } catch (RuntimeException e) {
                        encapsulation = -1;
                        packet = null;
                    }
                    if (fields.length != 3 || !(fields[0].equals("v4") || fields[0].equals("v6")) || packet == null
                            || encapsulation < 0 || encapsulation > 65535) {
                        throw new IllegalArgumentException(batch + ":" + number + ": \"" + line + "\" (expected: v4|v6"
                                + " UDPENCAP HEX, with UDPENCAP 0..65535 and an even number of hex digits)");
                    }
                    int rc = KeyExtractor.extract(packet, 0, packet.length, fields[0].equals("v6"), encapsulation, key);
                    StringBuilder json = new StringBuilder(200 + 2 * packet.length)
                            .append("{\"family\":\"").append(fields[0]).append("\",\"udpencap\":").append(encapsulation)
                            .append(",\"packet\":\"").append(fields[2].toLowerCase(java.util.Locale.ROOT))
                            .append("\",\"rc\":").append(rc);
                    if (rc >= 0) {
                        key.copyTo(keyBytes);
                        json.append(",\"key\":\"").append(HexFormat.of().formatHex(keyBytes))
                                .append("\",\"hash\":").append(key.hash() & 0xFFFF_FFFFL)
                                .append(",\"addrHash\":").append(key.addressHash() & 0xFFFF_FFFFL);
                        if ((rc & KeyResult.FIRST_FRAGMENT) != 0) {
                            json.append(",\"fragId\":").append(key.fragmentId() & 0xFFFF_FFFFL);
                        }
                    }
                    out.println(json.append('}'));
                }
            }
            out.flush();
            return 0;
        }
    }
}

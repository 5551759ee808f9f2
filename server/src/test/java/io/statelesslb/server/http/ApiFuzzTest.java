package io.statelesslb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.server.TestDaemon;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hundreds of mangled requests, from a fixed seed so that a failure reruns the same: every one is answered with a
 * client error or accepted, never a server error, and a refused one records nothing.
 */
class ApiFuzzTest {

    /** 300 unless the campaign script asks for more or fewer ({@code -Dslb.fuzz.cases=N}). */
    private static final int CASES = Integer.getInteger("slb.fuzz.cases", 300);

    @TempDir
    Path work;

    private static final List<String[]> VALID = List.of(
            new String[] {"POST", "/v1/targets",
                "{\"stream\":\"stream-a-i\",\"identifier\":7,\"ips\":[\"172.16.0.7\",\"fd00::7\"]}"},
            new String[] {"PUT", "/v1/vips/vip-x", "{\"address\":\"30.0.0.1/32\"}"},
            new String[] {"PUT", "/v1/flows/flow-x", "{\"stream\":\"stream-a-i\",\"priority\":2,\"protocols\":"
                + "[\"udp\"],\"destinationPorts\":[\"53\"],\"vips\":[\"vip-a-1-v4\"]}"},
            new String[] {"PUT", "/v1/gateways/gw-x", "{\"address\":\"169.254.100.151\",\"interfaceName\":"
                + "\"ext-vlan0\",\"protocol\":\"bgp\",\"bfd\":true,\"remoteAsn\":65001,\"localAsn\":65002,"
                + "\"holdTime\":3}"},
            new String[] {"POST", "/v1/trace", "{\"protocol\":\"tcp\",\"source\":\"10.1.1.1\",\"sourcePort\":40000,"
                + "\"destination\":\"20.0.0.1\",\"destinationPort\":4000}"},
            new String[] {"POST", "/v1/events", "{\"type\":\"GatewaySessionUp\",\"gateway\":\"gateway-a-v4\"}"});

    @Test
    void mangledRequestsAreClientErrorsOrAcceptedNeverServerErrors() {
        Random random = new Random(20261206);
        List<String> failures = new ArrayList<>();
        int accepted = 0;
        try (TestDaemon slb = TestDaemon.seeded(work.resolve("data"))) {
            for (int i = 0; i < CASES; i++) {
                String[] base = VALID.get(random.nextInt(VALID.size()));
                String body = mangle(base[2], random);
                long before = slb.daemon.sequence();
                HttpResponse<String> answer = slb.http(base[0], base[1], body);
                if (answer.statusCode() >= 500) {
                    failures.add(answer.statusCode() + " for " + base[0] + " " + base[1] + " " + body + ": "
                            + answer.body());
                } else if (answer.statusCode() >= 400 && slb.daemon.sequence() != before) {
                    failures.add("refused but recorded: " + base[0] + " " + base[1] + " " + body);
                }
                accepted += answer.statusCode() < 400 ? 1 : 0;
            }
        }
        // The line reliability/campaigns.py puts in docs/reliability.md.
        System.out.printf("campaign: %d mangled requests (seed 20261206): %d accepted, %d refused, %d failures"
                + " (a 5xx, or a refusal that recorded)%n", CASES, accepted, CASES - accepted, failures.size());
        assertThat(failures).isEmpty();
    }

    /** One of: a character replaced, removed or doubled; a value swapped for another type; a field dropped. */
    private static String mangle(String json, Random random) {
        String[] swaps = {"null", "\"\"", "-1", "1.5", "99999999999999999999", "[]", "{}", "true", "\"\\u0000\"",
            "\"" + "x".repeat(300) + "\""};
        int at = random.nextInt(json.length());
        return switch (random.nextInt(5)) {
            case 0 -> json.substring(0, at) + (char) (32 + random.nextInt(95)) + json.substring(at + 1);
            case 1 -> json.substring(0, at) + json.substring(at + 1);
            case 2 -> json.substring(0, at) + json.charAt(at) + json.substring(at);
            case 3 -> json.replaceFirst(":(\"[^\"]*\"|[0-9.]+|true|false|\\[[^\\]]*\\])",
                    ":" + swaps[random.nextInt(swaps.length)].replace("\\", "\\\\").replace("$", "\\$"));
            default -> json.replaceFirst("\"[a-zA-Z]+\":(\"[^\"]*\"|[0-9.]+|true|false|\\[[^\\]]*\\]),?", "");
        };
    }
}

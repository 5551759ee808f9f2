package io.statelesslb.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statelesslb.nfqueue.netlink.HostTools;
import io.statelesslb.server.TestDaemon;
import io.statelesslb.server.build.BuildInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /metrics as Prometheus reads it: every family with its help and type, the daemon's counters there from the start,
 * accepted by promtool; and the alert rules and the dashboard in docs/monitoring ask only for what it exposes.
 */
class MetricsTest {

    private static final Path MONITORING = Path.of("..", "docs", "monitoring");
    /** Families with a label per flow, target or queue: they appear with the first packet or the first queue. */
    private static final Set<String> LABELLED_BY_TRAFFIC = Set.of("slb_packets_total", "slb_flow_matches_total",
            "slb_target_packets_total", "slb_nfqueue_dropped_total");

    @TempDir
    Path work;

    private TestDaemon slb;

    @BeforeEach
    void start() {
        slb = TestDaemon.seeded(work.resolve("data"));
    }

    @AfterEach
    void stop() {
        if (slb != null) {
            slb.close();
        }
    }

    private String scrape() {
        var response = slb.http("GET", "/metrics", null);
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    @Test
    void everyFamilyHasHelpAndTypeAndTheDaemonsCountersStartAtZero() {
        String metrics = scrape();
        Set<String> typed = families(metrics, "# TYPE ");
        assertThat(families(metrics, "# HELP ")).as("families with help").isEqualTo(typed);
        assertThat(typed).contains("slb_events_total", "slb_apply_seconds", "slb_apply_failures_total",
                "slb_pipeline_refused_total", "slb_ready", "slb_build_info", "jvm_memory_used_bytes",
                "jvm_gc_memory_allocated_bytes_total", "process_cpu_usage", "process_files_open_files",
                "process_uptime_seconds");
        assertThat(metrics).contains("slb_pipeline_refused_total 0.0",
                "slb_events_total{outcome=\"rejected\",type=\"TargetRegistered\"} 0.0",
                "slb_events_total{outcome=\"recorded\",type=\"GatewayDeleted\"} 0.0",
                "slb_apply_failures_total 0.0",
                "slb_build_info{java=\"" + Runtime.version() + "\",version=\"" + BuildInfo.version() + "\"} 1\n");
        assertThat(BuildInfo.version()).as("the version the build wrote in").isNotEqualTo("unknown");
        // Counted where something is counted: the seed's two gateways, and a target refused.
        assertThat(metrics).contains("slb_events_total{outcome=\"recorded\",type=\"GatewayDefined\"} 2.0");
        assertThat(slb.http("POST", "/v1/targets", "{\"stream\":\"stream-a-i\",\"identifier\":0,\"ips\":[]}")
                .statusCode()).isEqualTo(422);
        assertThat(scrape()).contains("slb_events_total{outcome=\"rejected\",type=\"TargetRegistered\"} 1.0");
        assertThat(metrics.lines().filter(line -> line.startsWith("slb_apply_seconds_bucket{")))
                .as("apply latency buckets, +Inf included").hasSize(11);
    }

    @Test
    void promtoolAcceptsTheMetricsAndTheAlertRules() throws Exception {
        HostTools.require("promtool");
        assertThat(promtool(scrape(), "check", "metrics")).as("promtool check metrics").isEmpty();
        String rules = promtool(null, "check", "rules", MONITORING.resolve("alerts.yaml").toString());
        assertThat(rules).contains("SUCCESS: 7 rules found");
    }

    @Test
    void theAlertRulesAndTheDashboardAskOnlyForWhatIsExposed() throws IOException {
        String metrics = scrape();
        Set<String> exposed = new TreeSet<>(families(metrics, "# TYPE "));
        exposed.addAll(LABELLED_BY_TRAFFIC);
        exposed.add("up");
        List<String> expressions = new ArrayList<>();
        Matcher rule = Pattern.compile("(?m)^\\s+expr: (.+)$")
                .matcher(Files.readString(MONITORING.resolve("alerts.yaml")));
        while (rule.find()) {
            expressions.add(rule.group(1));
        }
        JsonNode dashboard = new ObjectMapper().readTree(MONITORING.resolve("grafana-dashboard.json").toFile());
        dashboard.path("panels").forEach(panel -> panel.path("targets")
                .forEach(target -> expressions.add(target.path("expr").asText())));
        assertThat(expressions).hasSizeGreaterThan(15);
        Set<String> asked = new TreeSet<>();
        Matcher name = Pattern.compile("\\b(slb_[a-z_]+|jvm_[a-z_]+|process_[a-z_]+|up)\\b(?=\\s*[{\\[)=<>-]|\\s*$)")
                .matcher(String.join("\n", expressions));
        while (name.find()) {
            asked.add(name.group(1).replaceAll("_(bucket|count|sum)$", ""));
        }
        assertThat(asked).as("metric names in the rules and the dashboard").contains("slb_ready",
                "slb_apply_seconds", "slb_nfqueue_dropped_total");
        assertThat(exposed).as("what /metrics exposes").containsAll(asked);
    }

    /** @return the family names of the lines that start with {@code prefix} */
    private static Set<String> families(String metrics, String prefix) {
        Set<String> names = new TreeSet<>();
        metrics.lines().filter(line -> line.startsWith(prefix))
                .forEach(line -> names.add(line.substring(prefix.length()).split(" ")[0]));
        return names;
    }

    /** @return what promtool printed (stdout and stderr); fails unless it exits 0 */
    private static String promtool(String input, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var stdin = process.getOutputStream()) {
            if (input != null) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("promtool %s: %s", String.join(" ", arguments), output).isZero();
        return output.strip();
    }
}

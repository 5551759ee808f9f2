package io.statelesslb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.statelesslb.api.http.ApiError;
import io.statelesslb.eventlog.EventLogException;
import io.statelesslb.server.TestDaemon;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API takes values as they are written: no coercion; a null is a named problem (422), never a 500. */
class StrictInputTest {

    @TempDir
    Path work;

    @Test
    void numbersAreNumbersStringsAreStringsAndNullsAreNamed() {
        try (TestDaemon slb = TestDaemon.seeded(work.resolve("data"))) {
            long before = slb.daemon.sequence();
            HttpResponse<String> quoted = slb.http("POST", "/v1/targets",
                    "{\"stream\":\"stream-a-i\",\"identifier\":\"7\",\"ips\":[\"172.16.0.7\"]}");
            assertThat(quoted.statusCode()).isEqualTo(400);
            assertThat(quoted.body()).contains("identifier has the wrong type (expected: an integer)");
            HttpResponse<String> fraction = slb.http("POST", "/v1/targets",
                    "{\"stream\":\"stream-a-i\",\"identifier\":7.5,\"ips\":[\"172.16.0.7\"]}");
            assertThat(fraction.statusCode()).isEqualTo(400);
            assertThat(fraction.body()).contains("identifier has the wrong type (expected: an integer)");
            HttpResponse<String> numberForString = slb.http("POST", "/v1/targets",
                    "{\"stream\":7,\"identifier\":7,\"ips\":[\"172.16.0.7\"]}");
            assertThat(numberForString.statusCode()).isEqualTo(400);
            assertThat(numberForString.body()).contains("stream has the wrong type (expected: a string)");
            HttpResponse<String> nullStream = slb.http("POST", "/v1/targets",
                    "{\"stream\":null,\"identifier\":7,\"ips\":[\"172.16.0.7\"]}");
            assertThat(nullStream.statusCode()).as(nullStream.body()).isEqualTo(422);
            assertThat(nullStream.body()).contains("stream is required");
            HttpResponse<String> nullIps = slb.http("POST", "/v1/targets",
                    "{\"stream\":\"stream-a-i\",\"identifier\":7,\"ips\":null}");
            assertThat(nullIps.statusCode()).as(nullIps.body()).isEqualTo(422);
            assertThat(nullIps.body()).contains("ips");
            HttpResponse<String> nullIp = slb.http("POST", "/v1/targets",
                    "{\"stream\":\"stream-a-i\",\"identifier\":7,\"ips\":[null]}");
            assertThat(nullIp.statusCode()).as(nullIp.body()).isEqualTo(422);
            assertThat(nullIp.body()).contains("ips");
            assertThat(slb.daemon.sequence()).as("nothing was recorded").isEqualTo(before);
        }
    }

    @Test
    void aFullDiskIsAnswered507WithTheReasonAndNoStackTrace() {
        EventLogException full = new EventLogException("write or fsync of /var/lib/slb/00000001.log failed:"
                + " java.io.IOException: No space left on device", new IOException("No space left on device"));
        Reply.Json answer = (Reply.Json) HttpApi.error("POST", "/v1/targets", new CompletionException(full));
        assertThat(answer.status()).isEqualTo(507);
        ApiError body = (ApiError) answer.body();
        assertThat(body.error()).isEqualTo("insufficient_storage");
        assertThat(body.message()).isEqualTo("nothing was recorded: the event log cannot be written (the disk is full;"
                + " free space, then restart the daemon)").doesNotContain("Exception");
        Reply.Json failedSync = (Reply.Json) HttpApi.error("POST", "/v1/targets",
                new EventLogException("write or fsync of x failed: java.io.IOException: Input/output error"));
        assertThat(failedSync.status()).isEqualTo(503);
    }
}

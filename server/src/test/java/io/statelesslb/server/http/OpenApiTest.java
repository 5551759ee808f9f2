package io.statelesslb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** docs/openapi.yaml describes exactly the routes the API serves. */
class OpenApiTest {

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedOperationIsServed() throws IOException {
        JsonNode paths = new YAMLMapper().readTree(Path.of("..", "docs", "openapi.yaml").toFile()).path("paths");
        List<String> documented = new ArrayList<>();
        paths.fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (!method.equals("parameters")) {
                documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
            }
        }));
        assertThat(documented).containsExactlyInAnyOrderElementsOf(HttpApi.routes(null, null).describe());
    }
}

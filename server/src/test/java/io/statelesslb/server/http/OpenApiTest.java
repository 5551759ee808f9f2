package io.statelesslb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** docs/openapi.yaml is a valid OpenAPI 3 document, and describes exactly the routes the API serves. */
class OpenApiTest {

    static final Path DOCUMENT = Path.of("..", "docs", "openapi.yaml");

    @Test
    void theDocumentIsValidOpenApiWithEveryReferenceResolved() throws IOException {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIParser().readContents(Files.readString(DOCUMENT), null, options);
        assertThat(result.getMessages()).as("what the OpenAPI parser says of docs/openapi.yaml").isEmpty();
        assertThat(result.getOpenAPI().getPaths()).isNotEmpty();
    }

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedOperationIsServed() throws IOException {
        JsonNode paths = new YAMLMapper().readTree(DOCUMENT.toFile()).path("paths");
        List<String> documented = new ArrayList<>();
        paths.fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (!method.equals("parameters")) {
                documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
            }
        }));
        assertThat(documented).containsExactlyInAnyOrderElementsOf(HttpApi.routes(null, null).describe());
    }
}

package io.eventthread.autoconfigure;

import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The IDE metadata the build generates: defaults as users write them, descriptions present. */
class ConfigurationMetadataTests {

    @Test
    void defaultsShouldRenderAsUsersWriteThem() throws Exception {
        Map<String, JsonNode> properties = properties();
        assertThat(properties.get("eventthread.idle-spin").path("defaultValue").asString()).isEqualTo("10us");
        assertThat(properties.get("eventthread.shutdown-timeout").path("defaultValue").asString()).isEqualTo("10s");
        assertThat(properties.get("eventthread.force-grace").path("defaultValue").asString()).isEqualTo("200ms");
        assertThat(properties.get("eventthread.thread-name-prefix").path("defaultValue").asString()).isEqualTo("eventthread");
        assertThat(properties.get("eventthread.blocking.virtual-threads").path("description").asString())
            .contains("at most 'max-threads' tasks at a time");
        assertThat(properties.get("eventthread.blocking-detection.quiet-period").path("defaultValue").asString())
            .isEqualTo("0s");
        assertThat(properties.get("eventthread.blocking-detection.quiet-period").path("description").asString())
            .startsWith("How long after the group starts blocking calls are held");
        assertThat(properties.get("eventthread.blocking-detection.quiet-until-ready").path("description").asString())
            .contains("until the application is ready (ApplicationReadyEvent)");
        assertThat(properties).containsKey("eventthread.groups");
        assertThat(properties.values()).allSatisfy((property) -> assertThat(property.path("description").asString())
            .as(property.path("name").asString())
            .isNotBlank());
    }

    /** The generated metadata's properties by name; {@link SettingDefaultsMetadataTests} reads it too. */
    static Map<String, JsonNode> properties() throws Exception {
        try (InputStream in = ConfigurationMetadataTests.class
            .getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated metadata").isNotNull();
            Map<String, JsonNode> byName = new HashMap<>();
            for (JsonNode property : JsonMapper.builder().build().readTree(in).path("properties")) {
                byName.put(property.path("name").asString(), property);
            }
            return byName;
        }
    }

}

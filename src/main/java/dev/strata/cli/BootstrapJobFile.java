package dev.strata.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/** Which job a flink-jobs/*.yaml describes: `job: bootstrap` goes to the cluster bootstrap, anything else to curation. */
final class BootstrapJobFile {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private BootstrapJobFile() {}

    static boolean is(String yaml) {
        try {
            JsonNode root = YAML.readTree(yaml);
            return root != null && "bootstrap".equals(root.path("job").asText());
        } catch (java.io.IOException e) {
            return false; // the curation parser says what is wrong with it
        }
    }
}

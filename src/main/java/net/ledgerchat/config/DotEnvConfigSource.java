package net.ledgerchat.config;

import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Makes a {@code .env} file (or the file {@code ENV_FILE} names) a MicroProfile Config source.
 * Ordinal 250: real environment variables (300) and system properties (400) win over it.
 */
public class DotEnvConfigSource implements ConfigSource {
    private final Map<String, String> values;

    public DotEnvConfigSource() {
        Map<String, String> loaded;
        try {
            loaded = DotEnv.load(System.getenv());
        } catch (SettingsException e) {
            // Config sources cannot fail; the same file is read again by SettingsProducer, which reports it.
            loaded = Map.of();
        }
        this.values = Map.copyOf(loaded);
    }

    @Override
    public Set<String> getPropertyNames() {
        return values.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return values.get(propertyName);
    }

    @Override
    public String getName() {
        return "dotenv";
    }

    @Override
    public int getOrdinal() {
        return 250;
    }
}

package net.ledgerchat.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/** Reads {@link Settings} once, from MicroProfile Config, for the whole application. */
@ApplicationScoped
public class SettingsProducer {
    private static final Logger LOG = Logger.getLogger(SettingsProducer.class.getName());

    @Produces
    @Singleton
    Settings settings() {
        Config config = ConfigProvider.getConfig();
        DotEnv.load(System.getenv()); // a broken .env is an error here, not an empty source
        try {
            return new SettingsParser(name -> config.getOptionalValue(name, String.class)).parse();
        } catch (SettingsException e) {
            LOG.severe("[Config] " + e.getMessage());
            throw e;
        }
    }
}

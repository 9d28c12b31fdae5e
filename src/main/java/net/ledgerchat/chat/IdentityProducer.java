package net.ledgerchat.chat;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.logging.Logger;
import net.ledgerchat.config.Settings;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.store.NodeKeyFile;

/** The node's key, read from (or, on first start, created in) the data directory. */
@ApplicationScoped
public class IdentityProducer {
    private static final Logger LOG = Logger.getLogger(IdentityProducer.class.getName());

    @Produces
    @Singleton
    NodeIdentity identity(Settings settings) {
        try {
            NodeKeyFile.Loaded loaded = NodeKeyFile.loadOrCreate(settings.keyFile());
            LOG.info(() -> "[Blockchain] " + (loaded.created() ? "Created" : "Loaded") + " node key "
                    + loaded.identity().publicKey() + " (" + settings.keyFile() + ")");
            return loaded.identity();
        } catch (IOException e) {
            throw new UncheckedIOException("[Blockchain] cannot use node key " + settings.keyFile() + ": " + e.getMessage(), e);
        }
    }
}

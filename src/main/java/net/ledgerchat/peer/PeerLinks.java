package net.ledgerchat.peer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;
import net.ledgerchat.chat.BlocksStored;
import net.ledgerchat.chat.BlocksWanted;
import net.ledgerchat.store.StoredBlock;

/**
 * The node's open peer links, and what all of them hear of: every block the node stores goes to every linked
 * peer, and a repair's wanted blocks make every link ask at once. A plain CDI bean rather than part of the
 * {@link PeerService} EJB: Weld resolves an observer on a session bean by a JNDI lookup and a new proxy (the
 * bean's field initializers included) for every event, which cost a tenth of a linked node's samples.
 */
@ApplicationScoped
public class PeerLinks {
    private static final Logger LOG = Logger.getLogger(PeerLinks.class.getName());
    private final List<PeerLink> links = new CopyOnWriteArrayList<>();

    void add(PeerLink link) {
        links.add(link);
    }

    void remove(PeerLink link) {
        links.remove(link);
    }

    /** The open links at this moment (a snapshot to iterate; links come and go meanwhile). */
    List<PeerLink> all() {
        return Collections.unmodifiableList(links);
    }

    public void onStored(@Observes BlocksStored event) {
        Gossip.spreadStored(event.blocks(), links);
    }

    /** A repair needs blocks back: every link asks now instead of at the next sync. */
    public void onWanted(@Observes BlocksWanted event) {
        LOG.info(() -> "[Sync] Asking " + links.size() + " linked peer(s) for " + event.hashes().size() + " block(s) to repair");
        requestSyncAll();
    }

    void requestSyncAll() {
        for (PeerLink link : links) {
            link.withSession(PeerSession::requestSync);
        }
    }
}

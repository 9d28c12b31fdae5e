package net.ledgerchat.peer;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.ledgerchat.chat.AcceptOutcome;
import net.ledgerchat.chat.LedgerWriter;
import net.ledgerchat.chat.Writer;
import java.util.logging.Logger;
import net.ledgerchat.ledger.Block;
import net.ledgerchat.ledger.NodeIdentity;
import net.ledgerchat.membership.InviteCode;
import net.ledgerchat.ledger.BlockRejectedException;
import net.ledgerchat.ledger.OrderKey;
import net.ledgerchat.store.LedgerRepository;
import net.ledgerchat.store.StoredBlock;

/** The node's own ledger as its peer links see it: the writer for storing, the repository for reading. */
@ApplicationScoped
public class ContainerLedger implements LedgerPort {
    /** Probes reach back 2^0 .. 2^PROBES seconds: from a second to about a year. */
    private static final int PROBES = 25;

    // @EJB, not @Inject: see ChatService.
    @EJB
    private LedgerWriter writer;
    private static final Logger LOG = Logger.getLogger(ContainerLedger.class.getName());
    @Inject
    private LedgerRepository repository;
    @Inject
    private NodeIdentity identity;
    private final Joining joining = new Joining(
            () -> writer.joining().map(code -> new JoinRequest(code.invite(), code.proofFor(identity.publicKey()))));

    /** The group this node belongs to, or joins: its genesis hash. */
    public String groupId() {
        return writer.groupId();
    }

    /** The invite this node joins with, while it holds none of its group's blocks. */
    public Optional<InviteCode> joiningCode() {
        return writer.joining();
    }

    @Override
    public boolean isMember(String key) {
        return writer.isMember(key);
    }

    @Override
    public Optional<JoinRequest> claimJoin() {
        return joining.claim();
    }

    @Override
    public void joinEnded(boolean admitted) {
        joining.ended(admitted);
    }

    @Override
    public Block admit(String joiner, String name, String invite, String proof) throws BlockRejectedException {
        return writer.admit(joiner, name, invite, proof).block();
    }

    @Override
    public void joinRefused(String by, String reason) {
        LOG.warning(() -> "[Members] " + by + " refused this node's invite: " + reason);
        writer.joinRefused(reason);
    }

    @Override
    public List<String> heads() {
        return writer.heads().stream().map(OrderKey::hash).sorted().toList();
    }

    @Override
    public List<String> probes() {
        long newest = writer.heads().stream().mapToLong(OrderKey::orderTs).max().orElse(0);
        List<Long> cutoffs = new ArrayList<>();
        for (int i = 0; i < PROBES && newest - (1000L << i) > 0; i++) {
            cutoffs.add(newest - (1000L << i));
        }
        return repository.newestAtOrBefore(cutoffs);
    }

    @Override
    public Accepted accept(Block block) throws BlockRejectedException {
        return accepted(writer.offer(block));
    }

    @Override
    public Accepted acceptAll(List<Block> blocks) throws BlockRejectedException {
        return accepted(writer.offerAll(blocks));
    }

    /** A batch whose signatures the writer's verifier threads check while this link's thread stores the one before. */
    private record Ahead(Writer.Verifying verifying) implements Checking {
        @Override
        public List<Block> blocks() {
            return verifying.blocks();
        }
    }

    @Override
    public Checking checkAhead(List<Block> blocks) {
        return new Ahead(writer.verifyAhead(blocks));
    }

    @Override
    public Accepted acceptChecked(Checking batch) throws BlockRejectedException {
        return batch instanceof Ahead ahead ? accepted(writer.offerVerified(ahead.verifying())) : acceptAll(batch.blocks());
    }

    private static Accepted accepted(Writer.Offer offer) {
        return new Accepted(offer.outcome() == AcceptOutcome.PENDING,
                offer.stored().stream().map(StoredBlock::block).toList());
    }

    @Override
    public List<String> missingFor(Collection<String> theirs) {
        WindowedIndex index = WindowedIndex.over(repository);
        return new SyncPlanner(index).missing(heads(), theirs);
    }


    @Override
    public Optional<Block> block(String hash) {
        return repository.find(hash).map(StoredBlock::block);
    }

    @Override
    public List<Block> blocks(List<String> hashes) {
        return repository.findAll(hashes);
    }

    @Override
    public Set<String> wantedBlocks() {
        return writer.wanted().stream().limit(MAX_WANTED).collect(java.util.stream.Collectors.toSet());
    }

    @Override
    public Set<String> wantedParents() {
        return writer.missingParents();
    }
}

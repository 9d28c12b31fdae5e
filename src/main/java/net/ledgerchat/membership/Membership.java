package net.ledgerchat.membership;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import net.ledgerchat.ledger.Body;
import net.ledgerchat.ledger.Kind;
import net.ledgerchat.ledger.Rank;
import net.ledgerchat.ledger.Block;

/**
 * Who belongs to a group, decided from its ledger by DESIGN section 7: which blocks may be stored (their kind's
 * rule holds at their parents), which count (strong remove), and the members they make. Every stored block has a
 * membership {@link Context}; blocks are recorded parents first. Not thread-safe: the ledger's one writer owns it.
 */
public final class Membership {
    private static final int CACHED_CONTEXTS = 64;

    private final String groupId;
    private final MembershipGraph graph = new MembershipGraph();
    private final Rules rules;
    private final Resolver resolver;
    /** What counts at each recently used context; entries stay true as the graph grows (a past never changes). */
    private final Map<Context, Resolved> resolved = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Context, Resolved> eldest) {
            return size() > CACHED_CONTEXTS;
        }
    };
    private BitSet counting;
    /** The last resolution of everything recorded: the past the next global resolution usually builds on. */
    private Resolved lastResolved;

    /** @param groupId the genesis hash */
    public Membership(String groupId) {
        this.groupId = Objects.requireNonNull(groupId, "groupId");
        this.rules = new Rules(graph, groupId);
        this.resolver = new Resolver(graph, rules);
    }

    /** The context of a block with parents of these contexts: the latest membership blocks among their pasts. */
    public Context contextAfter(Collection<Context> parentContexts) {
        BitSet union = new BitSet();
        for (Context context : parentContexts) {
            union.or(context.toBitSet());
        }
        return graph.latest(union);
    }

    /** Whether {@code block}'s kind may be written by its author at parents of context {@code atParents}. */
    public Optional<Refusal> check(Block block, Context atParents) {
        if (graph.position(block.hash()) != null) {
            // Recorded before, so checked at these very parents before: a repair putting it back.
            return Optional.empty();
        }
        if (block.kind() == Kind.GENESIS) {
            // Not "the first block recorded": a repair may put the genesis back after blocks that follow it.
            return block.hash().equals(groupId) ? Optional.empty() : Optional.of(Refusal.SECOND_GENESIS);
        }
        BitSet past = graph.closure(atParents);
        BitSet counts = resolvedAt(atParents, past);
        Refusal refusal = rules.rule(block, past, counts, counts);
        if (refusal == null && block.body() instanceof Body.Admit admit) {
            refusal = rules.proofRule(admit);
        }
        return Optional.ofNullable(refusal);
    }

    /** Records a block that passed {@link #check}; answers its own context (the block itself, for a membership block). */
    public Context record(Block block, Context atParents) {
        if (!block.kind().isMembership()) {
            return atParents;
        }
        int before = graph.size();
        int position = graph.add(block, atParents);
        if (graph.size() != before) {
            counting = null;
        }
        return new Context(new int[] {position});
    }

    /**
     * Whether a stored block counts, given everything recorded so far: a membership block as resolved; any other
     * block if its author is a member at its parents (as resolved) and no counting removal of its author is
     * concurrent with it.
     */
    public boolean counts(Block block, Context atParents, Causality causality) {
        BitSet all = counting();
        if (block.kind().isMembership()) {
            Integer position = graph.position(block.hash());
            return position != null && all.get(position);
        }
        BitSet past = graph.closure(atParents);
        if (rules.standings().rankOf(block.author(), past, all, all) == null) {
            return false;
        }
        for (int position : graph.aboutKey(block.author())) {
            Block other = graph.node(position).block();
            if (all.get(position) && other.body() instanceof Body.Remove remove && remove.member().equals(block.author())
                    && !past.get(position) && !causality.isAncestor(block.hash(), other.hash())) {
                return false;
            }
        }
        return true;
    }

    /** The keys some recorded removal is about: whether their messages count depends on where each sits. */
    public java.util.Set<String> removedKeys() {
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (int p = 0; p < graph.size(); p++) {
            if (graph.node(p).block().body() instanceof Body.Remove remove) {
                keys.add(remove.member());
            }
        }
        return keys;
    }

    /** Whether a membership block with this hash was recorded. */
    public boolean recorded(String hash) {
        return graph.position(hash) != null;
    }

    /** Whether the membership block with this hash counts. */
    public boolean counts(String membershipBlockHash) {
        Integer position = graph.position(membershipBlockHash);
        return position != null && counting().get(position);
    }

    /** The members now, founder first, then by rank and name. */
    public List<Member> members() {
        BitSet all = counting();
        BitSet everything = graph.all();
        Map<String, Member> members = new LinkedHashMap<>();
        for (int p = 0; p < graph.size(); p++) {
            Block block = graph.node(p).block();
            String key = block.kind() == Kind.GENESIS ? block.author()
                    : block.body() instanceof Body.Admit admit ? admit.joiner() : null;
            if (key == null || members.containsKey(key)) {
                continue;
            }
            Rank rank = rules.standings().rankOf(key, everything, all, all);
            if (rank != null) {
                members.put(key, member(key, rank, rules.standings().aliveAdmissions(key, everything, all, all)));
            }
        }
        List<Member> list = new ArrayList<>(members.values());
        list.sort(Comparator.comparing(Member::rank).reversed().thenComparing(Member::name).thenComparing(Member::key));
        return list;
    }

    /** The context named by stored membership block hashes; a hash not recorded (a block since removed) is left out. */
    public Context contextOf(Collection<String> hashes) {
        BitSet positions = new BitSet();
        for (String hash : hashes) {
            Integer position = graph.position(hash);
            if (position != null) {
                positions.set(position);
            }
        }
        return graph.latest(positions);
    }

    /**
     * The latest of membership blocks named by hash, as stored beside a block: those recorded here and in no other
     * one's past, and every hash not recorded (a block a repair still waits for) kept as it is, so that a context
     * computed while one is missing still names it once it is back.
     */
    public List<String> latestOf(Collection<String> hashes) {
        BitSet known = new BitSet();
        java.util.TreeSet<String> unknown = new java.util.TreeSet<>();
        for (String hash : hashes) {
            Integer position = graph.position(hash);
            if (position != null) {
                known.set(position);
            } else {
                unknown.add(hash);
            }
        }
        List<String> latest = hashesOf(graph.latest(known));
        latest.addAll(unknown);
        return latest;
    }

    /** A context as the hashes of its membership blocks, as it is stored beside a block. */
    public List<String> hashesOf(Context context) {
        List<String> hashes = new ArrayList<>(context.latest().length);
        for (int position : context.latest()) {
            hashes.add(graph.node(position).block().hash());
        }
        return hashes;
    }

    /** The name the key's admit gives it (the founder's in the genesis); the first admitted one when there are several. */
    public Optional<String> nameOf(String key) {
        return graph.aboutKey(key).stream().map(p -> graph.node(p).block())
                .filter(b -> b.kind() == Kind.GENESIS || b.body() instanceof Body.Admit admit && admit.joiner().equals(key))
                .min(Comparator.comparing(Block::height).thenComparing(Block::hash)).map(Membership::admittedName);
    }

    /**
     * The key's name as the page shows it: its admitted name, followed by the key's first 8 hex digits when another
     * key was admitted under the same name (DESIGN section 7: two members who share a name are told apart).
     */
    public Optional<String> displayNameOf(String key) {
        return nameOf(key).map(name -> keysNamed(name).size() > 1 ? name + " · " + key.substring(0, 8) : name);
    }

    /** Every key admitted (or founding) under {@code name}. */
    public java.util.Set<String> keysNamed(String name) {
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (int p = 0; p < graph.size(); p++) {
            Block block = graph.node(p).block();
            String key = block.kind() == Kind.GENESIS ? block.author()
                    : block.body() instanceof Body.Admit admit ? admit.joiner() : null;
            if (key != null && nameOf(key).filter(name::equals).isPresent()) {
                keys.add(key);
            }
        }
        return keys;
    }

    /** The keys whose membership or rank a membership block may change. */
    public static List<String> keysAffected(Block block) {
        return MembershipGraph.keysAffected(block);
    }

    /** The expiry an invite block gives, if {@code inviteHash} names one that was recorded. */
    public Optional<java.time.Instant> inviteExpiry(String inviteHash) {
        Integer position = graph.position(inviteHash);
        return position != null && graph.node(position).block().body() instanceof Body.Invite invite
                ? Optional.of(invite.expires()) : Optional.empty();
    }

    /** The invites that may still admit someone at {@code now}, oldest first. */
    public List<OpenInvite> openInvites(java.time.Instant now) {
        BitSet all = counting();
        List<OpenInvite> open = new ArrayList<>();
        for (int p = all.nextSetBit(0); p >= 0; p = all.nextSetBit(p + 1)) {
            Block block = graph.node(p).block();
            if (block.body() instanceof Body.Invite invite && invite.expires().isAfter(now)
                    && graph.aboutInvite(block.hash()).isEmpty()) {
                open.add(new OpenInvite(block.hash(), block.author(), block.timestamp(), invite.expires()));
            }
        }
        return open;
    }

    /** How many of the membership blocks this node holds do not count, per author (DESIGN section 7). */
    public Map<String, Long> notCountingByAuthor() {
        BitSet notCounting = graph.all();
        notCounting.andNot(counting());
        Map<String, Long> counts = new java.util.TreeMap<>();
        for (int p = notCounting.nextSetBit(0); p >= 0; p = notCounting.nextSetBit(p + 1)) {
            counts.merge(graph.node(p).block().author(), 1L, Long::sum);
        }
        return counts;
    }

    /**
     * The keys admitted with {@code invite} by the admits this node holds. Two or more means concurrent admits (an
     * admit is refused where another admit of its invite is in its past), none of which counts.
     */
    public List<String> keysAdmittedWith(String invite) {
        return graph.aboutInvite(invite).stream().map(p -> graph.node(p).block().body())
                .filter(Body.Admit.class::isInstance).map(b -> ((Body.Admit) b).joiner()).toList();
    }

    /** Whether {@code key} is a member now. */
    public boolean isMember(String key) {
        BitSet everything = graph.all();
        BitSet all = counting();
        return rules.standings().rankOf(key, everything, all, all) != null;
    }

    /** How many resolutions ended on the round limit rather than standing still (tests expect none). */
    int unsettledResolutions() {
        return resolver.unsettled();
    }

    /** The key's rank at parents of context {@code atParents}, by everything that counts now; null when not a member. */
    Rank rankAt(String key, Context atParents) {
        BitSet all = counting();
        return rules.standings().rankOf(key, graph.closure(atParents), all, all);
    }

    private Member member(String key, Rank rank, List<Integer> admissions) {
        // Concurrent admits of one key may differ: the same one on every node (display only, so any fixed choice does).
        Block chosen = admissions.stream().map(p -> graph.node(p).block())
                .min(Comparator.comparing(Membership::admittedName).thenComparing(Block::timestamp)
                        .thenComparing(Block::hash))
                .orElseThrow();
        return new Member(key, admittedName(chosen), rank, chosen.timestamp());
    }

    private static String admittedName(Block admission) {
        return admission.body() instanceof Body.Admit admit ? admit.name() : admission.body(Body.Genesis.class).founderName();
    }

    BitSet counting() {
        if (counting == null) {
            BitSet everything = graph.all();
            Resolver.Verdicts verdicts = resolve(everything);
            counting = verdicts.counting();
            lastResolved = new Resolved(everything, verdicts);
        }
        return counting;
    }

    /** What counts among everything recorded, solved from nothing: for tests of the incremental path. */
    BitSet countingFromScratch() {
        BitSet everything = graph.all();
        return resolver.resolve(everything).counting();
    }

    private BitSet resolvedAt(Context context, BitSet past) {
        Resolved known = resolved.get(context);
        if (known == null) {
            known = new Resolved(past, resolve(past));
            resolved.put(context, known);
        }
        return known.verdicts().counting();
    }

    /** A past and its verdicts. */
    private record Resolved(BitSet past, Resolver.Verdicts verdicts) {
    }

    /**
     * Resolves {@code domain} on top of the largest past already resolved that every other block of it follows
     * (see {@link Resolver#resolve(BitSet, BitSet, BitSet)}), or from nothing when there is none.
     */
    private Resolver.Verdicts resolve(BitSet domain) {
        Resolved base = new Resolved(new BitSet(), Resolver.Verdicts.NONE);
        List<Resolved> candidates = new ArrayList<>(resolved.values());
        if (lastResolved != null) {
            candidates.add(lastResolved);
        }
        for (Resolved candidate : candidates) {
            if (candidate.past().cardinality() > base.past().cardinality() && followedBy(candidate.past(), domain)) {
                base = candidate;
            }
        }
        return resolver.resolve(domain, base.past(), base.verdicts());
    }

    /** Whether {@code past} lies inside {@code domain} and every other block of {@code domain} has all of it in its past. */
    private boolean followedBy(BitSet past, BitSet domain) {
        BitSet outside = (BitSet) past.clone();
        outside.andNot(domain);
        if (!outside.isEmpty()) {
            return false;
        }
        BitSet fresh = (BitSet) domain.clone();
        fresh.andNot(past);
        for (int p = fresh.nextSetBit(0); p >= 0; p = fresh.nextSetBit(p + 1)) {
            BitSet missing = (BitSet) past.clone();
            missing.andNot(graph.node(p).past());
            if (!missing.isEmpty()) {
                return false;
            }
        }
        return true;
    }
}

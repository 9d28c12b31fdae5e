package net.ledgerchat.chat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import net.ledgerchat.ledger.Ancestry;
import net.ledgerchat.store.BlockPlace;

/** What the chain needs to know about committed blocks (the database, or memory in a simulation). */
interface Committed {
    boolean contains(String hash);

    /** Order keys and membership contexts of those of {@code hashes} that are stored. */
    Map<String, BlockPlace> placesOf(Collection<String> hashes);

    /** Whether a stored block names {@code hash} as a parent. */
    boolean named(String hash);

    /** A stored block's height and parents, or null: for the ancestry walks of the membership rules. */
    Ancestry.Links links(String hash);

    /**
     * This view with the places of {@code asked} read ahead in one go ({@code found}: those stored): a batch from a
     * peer is placed with one query instead of two per block. Only valid while the chain lock is held from before
     * the read-ahead: a block committed meanwhile is still reserved then.
     */
    default Committed readAhead(Set<String> asked, Map<String, BlockPlace> found) {
        Committed db = this;
        return new Committed() {
            @Override
            public boolean contains(String hash) {
                return asked.contains(hash) ? found.containsKey(hash) : db.contains(hash);
            }

            @Override
            public Map<String, BlockPlace> placesOf(Collection<String> hashes) {
                Map<String, BlockPlace> places = new HashMap<>();
                List<String> rest = new ArrayList<>();
                for (String hash : hashes) {
                    if (!asked.contains(hash)) {
                        rest.add(hash);
                    } else if (found.containsKey(hash)) {
                        places.put(hash, found.get(hash));
                    }
                }
                if (!rest.isEmpty()) {
                    places.putAll(db.placesOf(rest));
                }
                return places;
            }

            @Override
            public boolean named(String hash) {
                return db.named(hash);
            }

            @Override
            public Ancestry.Links links(String hash) {
                return db.links(hash);
            }
        };
    }

    static Committed of(Predicate<String> contains, Function<Collection<String>, Map<String, BlockPlace>> placesOf,
                        Predicate<String> named, Function<String, Ancestry.Links> links) {
        return new Committed() {
            @Override
            public boolean contains(String hash) {
                return contains.test(hash);
            }

            @Override
            public boolean named(String hash) {
                return named.test(hash);
            }

            @Override
            public Map<String, BlockPlace> placesOf(Collection<String> hashes) {
                return placesOf.apply(hashes);
            }

            @Override
            public Ancestry.Links links(String hash) {
                return links.apply(hash);
            }
        };
    }
}

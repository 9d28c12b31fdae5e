package net.ledgerchat.it.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Set;
import net.ledgerchat.it.support.HttpJson;

/** What a node lists, to hold a page against: the truth the page must show. */
final class NodeMessages {
    private NodeMessages() {
    }

    /** The ids a node lists, oldest first. */
    static List<String> ids(HttpJson http) {
        return all(http).stream().map(m -> m.getString("id")).toList();
    }

    /** Every message a node lists, oldest first, paging back with the cursors. */
    static List<JsonObject> all(HttpJson http) {
        LinkedList<JsonObject> all = new LinkedList<>();
        String path = "/api/messages?limit=500";
        while (true) {
            HttpJson.Reply reply = http.get(path);
            assertEquals(200, reply.status(), reply.body());
            JsonObject page = reply.json();
            all.addAll(0, page.getJsonArray("messages").getValuesAs(JsonObject.class));
            if (!page.containsKey("before") || page.isNull("before")) {
                return new ArrayList<>(all);
            }
            path = "/api/messages?limit=500&before=" + URLEncoder.encode(page.getString("before"), StandardCharsets.UTF_8);
        }
    }

    /** Equal lists of ids, or a failure that says how they differ (not 500 hashes twice). */
    static void assertSameIds(List<String> expected, List<String> actual, String what) {
        if (expected.equals(actual)) {
            return;
        }
        int first = 0;
        while (first < Math.min(expected.size(), actual.size()) && expected.get(first).equals(actual.get(first))) {
            first++;
        }
        Set<String> missing = new java.util.LinkedHashSet<>(expected);
        actual.forEach(missing::remove);
        Set<String> extra = new java.util.LinkedHashSet<>(actual);
        expected.forEach(extra::remove);
        fail(what + ": expected " + expected.size() + " ids, the page shows " + actual.size() + "; first difference at "
                + first + " (expected " + (first < expected.size() ? expected.get(first) : "end") + ", shown "
                + (first < actual.size() ? actual.get(first) : "end") + "); missing " + missing.size() + " "
                + missing.stream().limit(5).toList() + ", unexpected " + extra.size() + " " + extra.stream().limit(5).toList()
                + ", shown twice " + (actual.size() - new HashSet<>(actual).size()));
    }
}
